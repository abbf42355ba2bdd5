# Run by scripts/netbox-server inside `netbox shell`: a superuser with a v2 token, a user whose v1 token may view
# everything the reader reads except IP ranges, and a small estate covering what the snapshot carries (devices, VMs,
# interfaces, MAC objects, primary IPs, prefixes, ranges, VRFs, tags, custom fields) plus the bad data the reader
# warns about. Written through the ORM so it is fast; custom_field_data is set on every object for every field, as
# NetBox's own forms and API do.
import os
from netaddr import IPNetwork
from django.contrib.contenttypes.models import ContentType
from dcim.models import Device, DeviceRole, DeviceType, Interface, Location, MACAddress, Manufacturer, Site
from extras.models import CustomField, Tag
from ipam.models import IPAddress, IPRange, Prefix, Role, VRF
from tenancy.models import Tenant
from users.models import ObjectPermission, Token, User
from virtualization.models import Cluster, ClusterType, VirtualMachine, VMInterface

out = os.environ['NETBOX_TEST_DIR']

admin = User.objects.create_superuser('admin', 'admin@example.com', 'unused-password-not-for-login')
full = Token(user=admin, version=2, description='kea-netbox tests')
full.full_clean()
full.save()
reader = User.objects.create_user('reader', 'reader@example.com', 'unused-password-not-for-login')
limited = Token(user=reader, version=1, description='kea-netbox tests: no IP ranges')
limited.full_clean()
limited.save()
permission = ObjectPermission.objects.create(name='view all but ranges', actions=['view'])
for app, model in [('dcim', 'device'), ('dcim', 'interface'), ('dcim', 'macaddress'), ('dcim', 'site'),
                   ('dcim', 'location'), ('virtualization', 'virtualmachine'), ('virtualization', 'vminterface'),
                   ('virtualization', 'cluster'), ('ipam', 'ipaddress'), ('ipam', 'prefix'), ('ipam', 'vrf'),
                   ('core', 'objectchange'), ('extras', 'tag'), ('tenancy', 'tenant')]:
    permission.object_types.add(ContentType.objects.get(app_label=app, model=model))
permission.users.add(reader)
for name, token in [('token-full', f'{full.get_auth_header_prefix().split(" ", 1)[1]}{full.token}'),
                    ('token-no-ranges', limited.token)]:
    with open(os.path.join(out, name), 'w') as f:
        f.write(token + '\n')

types = {m: ContentType.objects.get(app_label='ipam', model=m) for m in ('ipaddress', 'prefix', 'iprange')}
boot = CustomField.objects.create(name='boot_file', type='text')
boot.object_types.add(types['ipaddress'])
hint = CustomField.objects.create(name='vlan_hint', type='integer')
hint.object_types.add(types['prefix'], types['iprange'])

dhcp = Tag.objects.create(name='dhcp', slug='dhcp')
critical = Tag.objects.create(name='Critical', slug='critical')
dc1 = Site.objects.create(name='DC 1', slug='dc1')
dc2 = Site.objects.create(name='DC 2', slug='dc2')
hall = Location.objects.create(name='Hall A', slug='hall-a', site=dc2)
acme = Tenant.objects.create(name='Acme', slug='acme')
blue = VRF.objects.create(name='blue')
access = Role.objects.create(name='Access', slug='access')
maker = Manufacturer.objects.create(name='Maker', slug='maker')
model = DeviceType.objects.create(manufacturer=maker, model='Box', slug='box')
server = DeviceRole.objects.create(name='Server', slug='server')
cluster = Cluster.objects.create(name='c1', type=ClusterType.objects.create(name='KVM', slug='kvm'), scope=dc1)


def ip(address, interface, boot_file=None, **fields):
    obj = IPAddress(address=address, assigned_object=interface, custom_field_data={'boot_file': boot_file}, **fields)
    obj.save()
    return obj


def mac(address, interface, primary=True):
    obj = MACAddress.objects.create(mac_address=address, assigned_object=interface)
    if primary:
        interface.primary_mac_address = obj
        interface.save()
    return obj


def device(name, **fields):
    return Device.objects.create(name=name, device_type=model, role=server, site=fields.pop('site', dc1), **fields)


srv1 = device('srv1', tenant=acme)
eth0 = Interface.objects.create(device=srv1, name='eth0', type='1000base-t')
mac('02:00:00:00:00:01', eth0)
v4 = ip('192.0.2.10/24', eth0, boot_file='pxelinux.0', dns_name='srv1.example.com', description='first "server"')
v4.tags.add(dhcp, critical)
v6 = ip('2001:db8::10/64', eth0)
srv1.primary_ip4, srv1.primary_ip6 = v4, v6
srv1.save()

# A second interface with its own MAC: not the one holding the primary IP, so it gives no reservation.
Interface.objects.create(device=srv1, name='ipmi', type='1000base-t')

srv2 = device('srv2', site=dc2)
nomac = Interface.objects.create(device=srv2, name='eth0', type='1000base-t')
srv2.primary_ip4 = ip('192.0.2.20/24', nomac, status='reserved')
srv2.save()

srv3 = device('srv3')
twomacs = Interface.objects.create(device=srv3, name='eth0', type='1000base-t')
mac('02:00:00:00:00:31', twomacs, primary=False)
mac('02:00:00:00:00:32', twomacs, primary=False)
srv3.primary_ip4 = ip('192.0.2.30/24', twomacs)
srv3.save()

# The same MAC as srv1 in the same subnet: the higher IP id is skipped with a warning.
srv4 = device('srv4')
clone = Interface.objects.create(device=srv4, name='eth0', type='1000base-t')
mac('02:00:00:00:00:01', clone)
srv4.primary_ip4 = ip('192.0.2.40/24', clone)
srv4.save()

srv5 = device('srv5 ünïcode')
eth = Interface.objects.create(device=srv5, name='eth0', type='1000base-t')
mac('02:00:00:00:00:51', eth)
srv5.primary_ip4 = ip('198.51.100.5/24', eth, vrf=blue, tenant=acme, description='in a VRF')
srv5.save()

vm1 = VirtualMachine.objects.create(name='vm1', cluster=cluster)
vmeth = VMInterface.objects.create(virtual_machine=vm1, name='ens3')
mac('02:00:00:00:01:01', vmeth)
vm1.primary_ip4 = ip('192.0.2.101/24', vmeth, dns_name='vm1.example.com')
vm1.primary_ip6 = ip('2001:db8::101/64', vmeth)
vm1.save()

vm2 = VirtualMachine.objects.create(name='vm2', site=dc2)
vmeth2 = VMInterface.objects.create(virtual_machine=vm2, name='ens3')
mac('02:00:00:00:01:02', vmeth2)
vm2.primary_ip4 = ip('10.9.0.2/16', vmeth2)
vm2.save()

for text, fields, cf in [('192.0.2.0/24', {'scope': dc1}, 10), ('2001:db8::/64', {'scope': dc1}, None),
                         ('198.51.100.0/24', {'vrf': blue, 'role': access, 'tenant': acme}, 20),
                         ('10.9.0.0/16', {'scope': hall, 'is_pool': True, 'description': 'hall'}, None),
                         ('203.0.113.0/24', {'status': 'reserved'}, None)]:
    prefix = Prefix(prefix=text, custom_field_data={'vlan_hint': cf}, **fields)
    prefix.save()
    if cf == 10:
        prefix.tags.add(dhcp)

pool = IPRange(start_address=IPNetwork('192.0.2.100/24'), end_address=IPNetwork('192.0.2.199/24'), custom_field_data={'vlan_hint': 7},
               description='pool', role=access)
pool.save()
pool.tags.add(dhcp)
IPRange(start_address=IPNetwork('198.51.100.50/24'), end_address=IPNetwork('198.51.100.60/24'), vrf=blue, tenant=acme,
        custom_field_data={'vlan_hint': None}).save()
print('populated')
