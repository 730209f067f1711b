"""Loaders for official data files (USITC HTS, CBSA Customs Tariff, EU VAT history ...).

Each importer records, for every row, which file and row it came from.
"""
