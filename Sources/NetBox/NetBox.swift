// Placeholder until the NetBox module lands.
