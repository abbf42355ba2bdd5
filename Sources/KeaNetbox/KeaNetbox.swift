// Placeholder until the KeaNetbox module lands.
