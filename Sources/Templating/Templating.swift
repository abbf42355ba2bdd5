// Placeholder until the Templating module lands.
