print("kea-netbox-bench: not yet")
