import KeaNetbox
print("kea-netbox")
