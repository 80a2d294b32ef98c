"""What every feature's pages share: the request type, paging, the base form, citation links."""
