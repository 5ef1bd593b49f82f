"""Right holders in the network: organisations, links to rights, their material."""
