"""Verification requests: an officer asks a right holder whether detained goods or listings
are counterfeit, by a deadline counted in the working days of the case's country."""
