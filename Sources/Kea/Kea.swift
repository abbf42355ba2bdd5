// Placeholder until the Kea module lands.
