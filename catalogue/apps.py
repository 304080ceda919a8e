import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    """Oscar's catalogue, forked: home of the OCOP domain (producers, certificates,
    regions)."""

    name = "catalogue"
