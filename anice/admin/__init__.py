"""Countries, agencies, officers and the audit trail: administration."""
