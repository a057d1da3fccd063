"""Server-rendered GOV.UK pages; each works without JavaScript."""
