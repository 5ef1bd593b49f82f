"""CSV builders for the rights import tests."""

from __future__ import annotations

import io

HEADER = ("office,number,type,status,mark_text,classes,owner,representative,contact_email,"
          "filing_date,registration_date,expiry_date,goods")
NIKE = "MY,TM001,trademark,registered,NIKE,25;18,Nike Inc,Rep Co,legal@nike.example,"\
       "2001-01-02,2002-03-04,2032-03-04,shoes and bags"
ADIDAS = "TH,TM777,trademark,registered,adidas,25,adidas AG,,brand@adidas.example,"\
         "2005-05-05,2006-06-06,2036-06-06,clothing"


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8",
              bom: bool = False) -> io.BytesIO:
    text = "\r\n".join((header, *rows)) + "\r\n"
    data = text.encode(encoding)
    return io.BytesIO((b"\xef\xbb\xbf" if bom else b"") + data)
