"""Demo data tables: what is counterfeited, where, by whom (used by anice.demo.cases)."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import AgencyKind

# --- what is counterfeited -------------------------------------------------------

TM, TM_D, TM_C = ("trademark",), ("trademark", "design"), ("trademark", "copyright")


@dataclass(frozen=True)
class Product:
    brand: str
    seen_as: tuple[str, ...]  # misspelt or disguised marks found on the goods
    what: str
    category: str
    unit: str
    qty: tuple[int, int]
    usd: tuple[float, float]  # street value of one unit
    rights: tuple[str, ...]
    segment: str


P = Product
PRODUCTS = [
    P("Nike", ("NlKE", "Nkie", "NIKE AIR"), "running shoes", "footwear", "pairs",
      (40, 1500), (12, 30), TM, "sport"),
    P("Nike", ("NlKE",), "Air Jordan 1 sneakers", "footwear", "pairs",
      (20, 600), (18, 40), TM_D, "sport"),
    P("Nike", ("NlKE", "Nikee"), "Dri-FIT sports T-shirts", "apparel", "pieces",
      (100, 5000), (3, 7), TM, "sport"),
    P("Adidas", ("Adidaz", "Adibas", "Addidas"), "Superstar sneakers", "footwear", "pairs",
      (40, 1200), (10, 25), TM, "sport"),
    P("Adidas", ("Adidaz", "Adibas"), "football club jerseys", "apparel", "pieces",
      (100, 4000), (4, 9), TM, "sport"),
    P("Louis Vuitton", ("Louis Vuiton", "Louis Vitton", "LV"), "monogram handbags",
      "bags_accessories", "pieces", (10, 800), (20, 60), TM_D, "luxury"),
    P("Louis Vuitton", ("Louis Vuiton", "LV"), "monogram wallets", "bags_accessories",
      "pieces", (20, 1500), (8, 20), TM, "luxury"),
    P("Chanel", ("Chanell", "Channel", "CC"), "quilted flap bags", "bags_accessories",
      "pieces", (10, 500), (25, 70), TM_D, "luxury"),
    P("Chanel", ("Chanell", "Channel"), "No. 5 perfume, 100 ml", "cosmetics", "pieces",
      (50, 3000), (5, 12), TM, "beauty"),
    P("Gucci", ("Guccl", "Gucchi"), "GG belts", "bags_accessories", "pieces",
      (30, 1200), (6, 15), TM, "luxury"),
    P("Gucci", ("Guccl",), "sunglasses", "bags_accessories", "pieces",
      (30, 1000), (5, 12), TM_D, "luxury"),
    P("Rolex", ("Rolax", "Rolexx", "ROLEX SWISS"), "Submariner wristwatches",
      "watches_jewellery", "pieces", (10, 500), (25, 90), TM_D, "luxury"),
    P("Rolex", ("Rolax",), "Datejust wristwatches", "watches_jewellery", "pieces",
      (10, 300), (25, 80), TM_D, "luxury"),
    P("Casio", ("G-Shok", "Casi0"), "G-Shock watches", "watches_jewellery", "pieces",
      (30, 2000), (6, 18), TM, "electronics"),
    P("Apple", ("Aple", "Appel"), "20W USB-C power adapters", "mobile_accessories", "pieces",
      (100, 8000), (2, 5), TM_D, "electronics"),
    P("Apple", ("Aple", "Appel"), "AirPods Pro earphones", "electronics", "pieces",
      (50, 3000), (7, 15), TM_D, "electronics"),
    P("Apple", ("Aple",), "Lightning charging cables", "mobile_accessories", "pieces",
      (200, 10000), (1, 2), TM, "electronics"),
    P("Samsung", ("Samsong", "SAMSUNQ"), "25W fast chargers", "mobile_accessories", "pieces",
      (100, 6000), (2, 4), TM, "electronics"),
    P("Samsung", ("Samsong",), "Galaxy Buds earphones", "electronics", "pieces",
      (50, 2000), (6, 14), TM_D, "electronics"),
    P("Sony", ("Sonny", "S0NY"), "WH-1000XM5 headphones", "electronics", "pieces",
      (20, 800), (12, 30), TM_D, "electronics"),
    P("Sony", ("Sonny",), "PlayStation DualSense controllers", "electronics", "pieces",
      (20, 1000), (10, 20), TM_D, "electronics"),
    P("Colgate", ("Colgete", "Co1gate"), "toothpaste tubes, 175 g", "household", "pieces",
      (500, 30000), (0.8, 1.5), TM, "consumer"),
    P("Panadol", ("Panadoll", "Panadol Extra"), "paracetamol 500 mg tablets (boxes of 10 strips)",
      "pharmaceuticals", "boxes", (100, 20000), (1, 3), TM, "pharma"),
    P("Castrol", ("Castro1", "Castrol GTX"), "engine oil, GTX 20W-50", "auto_parts", "litres",
      (200, 12000), (1.5, 3.5), TM, "auto"),
    P("Yamaha", ("Yamaba", "YAMAHA Genuine Parts"), "motorcycle brake pads", "auto_parts",
      "sets", (100, 5000), (2, 5), TM, "auto"),
    P("Yamaha", ("Yamaba",), "motorcycle oil filters", "auto_parts", "pieces",
      (200, 8000), (1, 3), TM, "auto"),
    P("Honda", ("Hondda", "HONDA Genuine"), "motorcycle drive chain kits", "auto_parts", "sets",
      (50, 2000), (6, 14), TM, "auto"),
    P("Hello Kitty", ("Hello Kity", "Helo Kitty"), "plush toys", "toys", "pieces",
      (100, 6000), (2, 6), TM_C, "toys"),
    P("Hello Kitty", ("Hello Kity",), "children's school bags", "bags_accessories", "pieces",
      (50, 2000), (3, 8), TM_C, "toys"),
    P("Pokémon", ("Pokemon", "Pokémom", "Pokeman"), "trading card booster packs", "toys",
      "boxes", (50, 4000), (2, 6), TM_C, "toys"),
    P("Pokémon", ("Pokemon", "Pokémom"), "Pikachu plush toys", "toys", "pieces",
      (100, 5000), (2, 5), TM_C, "toys"),
    P("L'Oréal", ("L'Oreal", "LOREAL Paris"), "Revitalift face creams", "cosmetics", "pieces",
      (100, 5000), (3, 8), TM, "beauty"),
    P("Johnnie Walker", ("Johnny Walker",), "Black Label whisky, 70 cl", "tobacco_alcohol",
      "pieces", (24, 1200), (8, 15), TM, "consumer"),
    P("Marlboro", ("Marlb0ro",), "cigarettes (cartons of 200)", "tobacco_alcohol", "cartons",
      (50, 5000), (4, 9), TM, "consumer"),
    P("Milo", ("Mllo",), "chocolate malt drink powder, 1 kg tins", "food_beverages", "pieces",
      (100, 5000), (4, 7), TM, "consumer"),
    P("Microsoft", ("Micros0ft", "Microsoft Office"), "Windows 11 Pro licence keys",
      "media_software", "pieces", (10, 2000), (1, 5), TM_C, "software"),
    P("Xiaomi", ("Xiaomy", "Mi Power"), "20,000 mAh power banks", "mobile_accessories",
      "pieces", (50, 3000), (4, 9), TM, "electronics"),
]
ONLINE_ONLY = {"software"}  # licence keys are sold online, not seized

RIGHT_HOLDERS = {
    "Nike": ("Nike Innovate C.V.", "US"), "Adidas": ("adidas AG", "DE"),
    "Louis Vuitton": ("Louis Vuitton Malletier", "FR"), "Chanel": ("Chanel SARL", "CH"),
    "Gucci": ("Guccio Gucci S.p.A.", "IT"), "Rolex": ("Rolex SA", "CH"),
    "Casio": ("Casio Computer Co., Ltd.", "JP"), "Apple": ("Apple Inc.", "US"),
    "Samsung": ("Samsung Electronics Co., Ltd.", "KR"), "Sony": ("Sony Group Corporation", "JP"),
    "Colgate": ("Colgate-Palmolive Company", "US"), "Panadol": ("Haleon plc", "GB"),
    "Castrol": ("Castrol Limited", "GB"), "Yamaha": ("Yamaha Motor Co., Ltd.", "JP"),
    "Honda": ("Honda Motor Co., Ltd.", "JP"), "Hello Kitty": ("Sanrio Company, Ltd.", "JP"),
    "Pokémon": ("The Pokémon Company", "JP"), "L'Oréal": ("L'Oréal S.A.", "FR"),
    "Johnnie Walker": ("Diageo Brands B.V.", "NL"),
    "Marlboro": ("Philip Morris Products S.A.", "CH"),
    "Milo": ("Société des Produits Nestlé S.A.", "CH"),
    "Microsoft": ("Microsoft Corporation", "US"), "Xiaomi": ("Xiaomi Inc.", "CN"),
}

# --- where -------------------------------------------------------------------------

# (province as listed in places.json, city, place)
MARKETS = {
    "MY": [("Kuala Lumpur", "Kuala Lumpur", "Petaling Street"),
           ("Kuala Lumpur", "Kuala Lumpur", "Jalan Tuanku Abdul Rahman"),
           ("Kuala Lumpur", "Kuala Lumpur", "Chow Kit market"),
           ("Selangor", "Petaling Jaya", "a shop lot in SS2"),
           ("Selangor", "Shah Alam", "a warehouse in Seksyen 26"),
           ("Selangor", "Klang", "a warehouse in Bandar Sultan Suleiman"),
           ("Johor", "Johor Bahru", "a shop in Taman Johor Jaya"),
           ("Penang", "George Town", "Chowrasta Market"),
           ("Melaka", "Melaka", "the Jonker Street night market"),
           ("Sabah", "Kota Kinabalu", "the Filipino Market"),
           ("Kedah", "Alor Setar", "Pekan Rabu"),
           ("Perak", "Ipoh", "a pasar malam in Ipoh Garden")],
    "TH": [("Bangkok", "Bangkok", "MBK Center"),
           ("Bangkok", "Bangkok", "Pratunam market"),
           ("Bangkok", "Bangkok", "Chatuchak weekend market (ตลาดนัดจตุจักร)"),
           ("Bangkok", "Bangkok", "Khlong Thom market"),
           ("Bangkok", "Bangkok", "street stalls on Sukhumvit Soi 11"),
           ("Chonburi", "Pattaya", "stalls on Walking Street"),
           ("Phuket", "Patong", "stalls on Bangla Road"),
           ("Chiang Mai", "Chiang Mai", "the Night Bazaar"),
           ("Songkhla", "Hat Yai", "Kim Yong market"),
           ("Nonthaburi", "Pak Kret", "a warehouse in Pak Kret"),
           ("Samut Prakan", "Bang Phli", "a warehouse in Bang Phli"),
           ("Pathum Thani", "Khlong Luang", "a warehouse in Khlong Luang")],
    "VN": [("Hanoi", "Hà Nội", "Đồng Xuân market"),
           ("Hanoi", "Gia Lâm", "Ninh Hiệp market"),
           ("Ho Chi Minh City", "Quận 1", "Bến Thành market"),
           ("Ho Chi Minh City", "Quận 1", "Saigon Square"),
           ("Ho Chi Minh City", "Quận 5", "An Đông market"),
           ("Da Nang", "Đà Nẵng", "Hàn market"),
           ("Hai Phong", "Hải Phòng", "Sắt market"),
           ("Khanh Hoa", "Nha Trang", "Đầm market"),
           ("Can Tho", "Cần Thơ", "Tân An market"),
           ("Quang Ninh", "Móng Cái", "Móng Cái central market"),
           ("Lang Son", "Lạng Sơn", "Đông Kinh market")],
}
BORDERS = {
    "MY": [("Selangor", "Port Klang", "Westport, Port Klang"),
           ("Selangor", "Sepang", "KLIA Cargo"),
           ("Johor", "Pasir Gudang", "Johor Port, Pasir Gudang"),
           ("Kedah", "Bukit Kayu Hitam", "the Bukit Kayu Hitam checkpoint"),
           ("Penang", "Butterworth", "the North Butterworth Container Terminal"),
           ("Johor", "Johor Bahru", "the Bangunan Sultan Iskandar CIQ")],
    "TH": [("Chonburi", "Si Racha", "Laem Chabang Port"),
           ("Samut Prakan", "Bang Phli", "the Suvarnabhumi Airport cargo terminal"),
           ("Songkhla", "Sadao", "the Sadao border checkpoint"),
           ("Tak", "Mae Sot", "the Mae Sot border checkpoint"),
           ("Nong Khai", "Nong Khai", "the Friendship Bridge checkpoint")],
    "VN": [("Lang Son", "Lạng Sơn", "the Tân Thanh border gate"),
           ("Quang Ninh", "Móng Cái", "the Móng Cái border gate"),
           ("Hai Phong", "Hải Phòng", "Đình Vũ port"),
           ("Ho Chi Minh City", "Thủ Đức", "Cát Lái port"),
           ("Lao Cai", "Lào Cai", "the Kim Thành border gate")],
}
ORIGINS = ["Guangzhou, China", "Shenzhen, China", "Yiwu, China", "Ningbo, China", "Hong Kong",
           "Dubai", "Jakarta"]
DECLARED = ["garments", "household goods", "plastic toys", "spare parts", "mixed cargo",
            "bags and textiles", "electrical accessories"]

COUNTRY = {
    # currency per USD (for pricing only; the service converts back with the
    # reference rates), rounding of unit prices and totals, UTC offset, domain suffix
    "MY": {"per_usd": 4.4, "unit": 0.1, "total": 10, "utc": 8, "tld": "com.my",
           "court": ["Sessions Court, Kuala Lumpur", "Magistrates' Court, Petaling Jaya",
                     "Sessions Court, Johor Bahru", "Sessions Court, Shah Alam",
                     "Magistrates' Court, George Town"],
           "charges": ["Trade Descriptions Act 2011, s. 5 and s. 8: supplying and offering "
                       "to supply goods bearing a false trade description",
                       "Trademarks Act 2019, s. 102: selling and possessing for trade "
                       "goods bearing a counterfeit trademark",
                       "Trademarks Act 2019, s. 100 and s. 102; Trade Descriptions Act 2011, "
                       "s. 8"]},
    "TH": {"per_usd": 34.0, "unit": 10, "total": 100, "utc": 7, "tld": "co.th",
           "court": ["Central Intellectual Property and International Trade Court",
                     "Criminal Court, Bangkok", "Pattaya Provincial Court",
                     "Songkhla Provincial Court"],
           "charges": ["Trademark Act B.E. 2534 (1991), s. 108 and s. 110: selling and "
                       "offering for sale goods bearing counterfeit marks",
                       "Trademark Act B.E. 2534, s. 110 (ละเมิดเครื่องหมายการค้า: trademark "
                       "infringement); Copyright Act B.E. 2537, s. 31",
                       "Trademark Act B.E. 2534, s. 109 and s. 110: imitating marks and "
                       "importing the goods"]},
    "VN": {"per_usd": 25000.0, "unit": 5000, "total": 100000, "utc": 7, "tld": "vn",
           "court": ["People's Court of Hanoi", "People's Court of Ho Chi Minh City"],
           "charges": ["Penal Code 2015, art. 226: infringement of industrial property rights",
                       "Penal Code 2015, art. 192: manufacturing and trading in "
                       "counterfeit goods (hàng giả)"]},
}

# --- who ---------------------------------------------------------------------------

PEOPLE = {
    "MY": ["Ahmad Faizal bin Hassan", "Lim Wei Jie", "Tan Ah Kow", "Muthu a/l Raman",
           "Nur Aisyah binti Omar", "Wong Kar Seng", "Mohd Hafiz bin Ismail", "Chong Mei Yee",
           "Siti Norhaliza binti Yusof", "Kumar a/l Subramaniam"],
    "TH": ["Somsak Jaidee", "Anucha Boonmee", "Pranee Suksawat", "Wichai Thongdee",
           "Malee Rattanakorn", "Chaiwat Phromma", "Supaporn Kaewmanee"],
    "VN": ["Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Minh Tuấn", "Phạm Quốc Bảo",
           "Hoàng Thị Hương", "Đặng Văn Long", "Vũ Thị Thu Hà", "Bùi Đức Thắng"],
    "CN": ["Chen Jianguo", "Li Wei", "Zhang Xiaoming", "Huang Lifen"],
    "MM": ["Aung Ko Ko", "Htet Naing Lin"],
    "ID": ["Budi Hartono", "Dewi Lestari"],
    "KH": ["Sok Dara"],
    "LA": ["Khamla Phommavong"],
}
COMPANIES = {
    "MY": ["Syarikat Maju Jaya Trading", "Global Star Enterprise Sdn. Bhd.",
           "Kedai Runcit Sri Murni"],
    "TH": ["Bangkok Fashion Supply Co., Ltd.", "Siam Auto Part Trading Co., Ltd."],
    "VN": ["Công ty TNHH Thương mại Hưng Phát", "Hộ kinh doanh Minh Châu"],
    "CN": ["Guangzhou Xinda Trading Co., Ltd.", "Yiwu Hengtai Import & Export Co., Ltd."],
}
FOREIGN = {"MY": ["CN", "ID", "MM"], "TH": ["MM", "KH", "LA", "CN"], "VN": ["CN", "KH", "LA"]}
# Suspects seen in several countries (for correlation later).
NETWORK = [("Chen Jianguo", "person", "CN"), ("Guangzhou Xinda Trading Co., Ltd.", "company", "CN"),
           ("Lim Wei Jie", "person", "MY"), ("Yiwu Hengtai Import & Export Co., Ltd.", "company",
                                              "CN"),
           ("Aung Ko Ko", "person", "MM")]
REPRESENTATIVES = {
    "MY": ["Azman Lee & Co. (IP agents)", "Rahim Tan IP Sdn. Bhd."],
    "TH": ["Siam Brand Protection Co., Ltd.", "Chao Phraya IP Law Office"],
    "VN": ["Công ty Luật Sở hữu Trí tuệ Ánh Dương", "Hanoi Brand Protection JSC"],
    "": ["Asia Brand Protection Services Pte. Ltd."],
}

# (name, seller id, platforms, countries): sellers met in several cases and countries.
SELLERS = [
    ("LuxuryReplicaHub", "luxreplicahub", ("instagram", "telegram", "facebook"),
     ("MY", "TH", "VN"), "luxury"),
    ("Watch King", "watchking88", ("shopee", "lazada", "facebook"), ("MY", "TH"), "luxury"),
    ("Sneaker Outlet Asia", "sneakeroutlet.asia", ("shopee", "tiktok_shop", "instagram"),
     ("MY", "TH", "VN"), "sport"),
    ("Kedai Ori Murah", "kedaiorimurah", ("shopee", "tiktok_shop"), ("MY",), None),
    ("ร้านแบรนด์เนมมือหนึ่ง", "brandname_mue1", ("shopee", "facebook", "tiktok_shop"),
     ("TH",), "luxury"),
    ("Shop Hàng Hiệu Giá Rẻ", "hanghieugiare.vn", ("shopee", "facebook", "tiktok_shop"),
     ("VN",), None),
    ("GZ Factory Direct", "gzfactorydirect", ("lazada", "shopee", "website"),
     ("MY", "TH", "VN"), None),
    ("AutoParts88", "autoparts88", ("shopee", "lazada", "facebook"), ("MY", "TH", "VN"), "auto"),
    ("PharmaDeal Express", "pharmadeal.express", ("facebook", "telegram", "website"),
     ("MY", "TH", "VN"), "pharma"),
    ("Gadget Murah MY", "gadgetmurah.my", ("shopee", "carousell"), ("MY",), "electronics"),
    ("TechZone TH", "techzone.th", ("lazada", "shopee"), ("TH",), "electronics"),
    ("Kids Toy World", "kidstoyworld", ("shopee", "lazada", "tiktok_shop"),
     ("MY", "TH", "VN"), "toys"),
]
SELLER_WORDS = {
    "MY": (["Butik", "Kedai", "Gedung", "Urban", "Trendy", "Premium"],
           ["Branded", "Ori", "Bundle", "Gajet", "Kasut", "Jam"],
           ["Store", "Collection", "MY", "Official", "Outlet"]),
    "TH": (["BKK", "Siam", "Lucky", "Golden", "Happy"],
           ["Brandname", "Outlet", "Gadget", "Sneaker", "Beauty"],
           ["Shop", "Store", "TH", "Official"]),
    "VN": (["Shop", "Tiệm", "Kho", "Tổng Kho Sỉ"],
           ["Hàng Hiệu", "Giày", "Đồng Hồ", "Mỹ Phẩm", "Phụ Kiện"],
           ["Sài Gòn", "Hà Nội", "Auth", "Giá Rẻ", "VN"]),
}
PLATFORMS = {
    "MY": {"shopee": 30, "lazada": 20, "tiktok_shop": 15, "facebook": 12, "instagram": 8,
           "carousell": 7, "telegram": 3, "website": 3, "tokopedia": 2},
    "TH": {"shopee": 28, "lazada": 25, "tiktok_shop": 15, "facebook": 15, "instagram": 8,
           "website": 5, "other": 4},
    "VN": {"shopee": 30, "tiktok_shop": 25, "facebook": 20, "lazada": 12, "instagram": 3,
           "website": 5, "other": 5},
}
PLATFORM_NAMES = {"tiktok_shop": "TikTok Shop", "website": "a website", "other": "LINE Shop"}
QUALIFIERS = {
    "MY": ["premium copy", "gred AAA", "ori 100%", "readystock", "mirror 1:1", "OEM original"],
    "TH": ["ของแท้ 100%", "AAA quality", "mirror 1:1", "premium copy", "OEM"],
    "VN": ["hàng chuẩn Auth", "Like Auth 1:1", "hàng Quảng Châu cao cấp", "fullbox", "rep 1:1"],
}

NOTES = [
    "Samples sent to the right holder's representative for examination; awaiting the "
    "expert report.",
    "Right holder's representative confirmed the goods are counterfeit (no hologram, wrong "
    "font on labels, poor stitching).",
    "Goods photographed, sealed and moved to the agency store room.",
    "Owner of the premises could not produce invoices or import documents for the stock.",
    "Platform asked for the seller's registration details and payout account.",
    "The same seller reappeared under a new shop name two weeks after the takedown.",
    "Packaging and labels point to a supplier in {origin}.",
    "Statement recorded from the shop assistant; the owner is abroad.",
    "Consignee address turned out to be a vacant shop lot.",
]
LOCAL_NOTES = {
    "MY": ["Barang tiruan dirampas dan disimpan di stor (goods seized and stored).",
           "Notis takedown dihantar kepada platform (takedown notice sent)."],
    "TH": ["ส่งตัวอย่างให้เจ้าของสิทธิ์ตรวจสอบแล้ว (samples sent to the right holder).",
           "ผู้ต้องหารับสารภาพ (the suspect confessed)."],
    "VN": ["Đã lập biên bản tạm giữ hàng hóa (seizure record drawn up).",
           "Chủ hộ kinh doanh không xuất trình được hóa đơn, chứng từ (no invoices)."],
}
PROSECUTION_NOTES = ["Charges reviewed; file ready for the public prosecutor.",
                     "Expert report of the right holder attached to the charge sheet.",
                     "Defence asked for a postponement; next mention date fixed."]
OUTCOME_NOTES = {
    "convicted": ["Accused pleaded guilty; sentenced to a fine of {fine} and the goods "
                  "forfeited for destruction.",
                  "Convicted on all charges; three months' imprisonment suspended and a "
                  "fine of {fine}."],
    "fined": ["Fined {fine}; goods forfeited and destroyed.", "Fined {fine} on each charge."],
    "acquitted": ["Acquitted: ownership of the stock was not proven.",
                  "Acquitted on a technicality in the search warrant."],
    "settled": ["Offence compounded for {fine}; goods surrendered for destruction.",
                "Settled with the right holder; the seller signed an undertaking."],
    "no_further_action": ["Right holder did not confirm the goods were fake; no further "
                          "action.", "Insufficient evidence to identify the seller."],
    "transferred": ["Transferred to customs for a wider investigation of the supply chain.",
                    "Transferred to the police: linked to an organised network."],
}

# Path of a case through the workflow, with weights for an agency that can prosecute.
FULL = {"draft": 7, "open": 16, "under_investigation": 30, "prosecution": 11,
        "in_court": 11, "court_closed": 12, "prosecution_closed": 5, "ui_closed": 6,
        "open_closed": 2}
LIMITED = {"draft": 10, "open": 35, "under_investigation": 55}
# Detection age in days (min, max) by path: later stages are older cases.
AGES = {"draft": (0, 25), "open": (2, 240), "under_investigation": (7, 500),
        "prosecution": (90, 560), "in_court": (150, 600), "court_closed": (200, 600),
        "prosecution_closed": (120, 600), "ui_closed": (40, 600), "open_closed": (15, 600)}
DETECTIONS = {
    AgencyKind.CUSTOMS: {"customs_detention": 75, "raid": 15, "complaint": 5,
                         "online_monitoring": 5},
    AgencyKind.MARKET_AUTHORITY: {"market_inspection": 50, "raid": 20, "complaint": 20,
                                  "online_monitoring": 10},
}
DEFAULT_DETECTIONS = {"raid": 50, "complaint": 25, "online_monitoring": 15,
                      "market_inspection": 10}
