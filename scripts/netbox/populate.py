# Run by scripts/netbox-server inside `netbox shell`: a superuser with a v2 token, a user whose v1 token may view
# everything the reader reads except IP ranges, and a small estate covering what the snapshot carries (devices, VMs,
# interfaces, MAC objects, primary, out-of-band and other interface IPs, prefixes with VLANs and parents, ranges,
# VRFs, tags and custom fields of every type on addresses, hosts and interfaces, roles, platforms, device types)
# plus the bad data the reader warns about. Written through the ORM so it is fast; custom_field_data holds every
# field of the object's type (null when unset), as NetBox's own forms and API save it.
import os
from netaddr import IPNetwork
from django.contrib.contenttypes.models import ContentType
from dcim.models import Device, DeviceRole, DeviceType, Interface, Location, MACAddress, Manufacturer, Platform, Region, Site
from extras.models import CustomField, CustomFieldChoiceSet, Tag
from ipam.models import IPAddress, IPRange, Prefix, Role, VLAN, VRF
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
                   ('core', 'objectchange'), ('extras', 'tag'), ('extras', 'customfield'), ('tenancy', 'tenant')]:
    permission.object_types.add(ContentType.objects.get(app_label=app, model=model))
permission.users.add(reader)
for name, token in [('token-full', f'{full.get_auth_header_prefix().split(" ", 1)[1]}{full.token}'),
                    ('token-no-ranges', limited.token)]:
    with open(os.path.join(out, name), 'w') as f:
        f.write(token + '\n')

def object_type(app, model):
    return ContentType.objects.get(app_label=app, model=model)


def field(name, kind, *types, **options):
    definition = CustomField.objects.create(name=name, type=kind, **options)
    definition.object_types.add(*[object_type(*t) for t in types])
    return definition


ADDRESS, PREFIX, RANGE = ('ipam', 'ipaddress'), ('ipam', 'prefix'), ('ipam', 'iprange')
DEVICE, VM = ('dcim', 'device'), ('virtualization', 'virtualmachine')
INTERFACE, VMINTERFACE = ('dcim', 'interface'), ('virtualization', 'vminterface')
field('boot_file', 'text', ADDRESS)
field('vlan_hint', 'integer', PREFIX, RANGE)
field('kea_subnet_id', 'integer', PREFIX)
field('dhcp_routers', 'text', PREFIX)
field('dhcp_duid', 'text', INTERFACE, VMINTERFACE)
# The types the API shows differently from how they are stored: selections, objects, datetimes.
choices = CustomFieldChoiceSet.objects.create(name='Boot', extra_choices=[['pxe', 'PXE boot'], ['uefi', 'UEFI']])
field('boot_class', 'select', DEVICE, VM, choice_set=choices)
field('boot_classes', 'multiselect', DEVICE, choice_set=choices)
field('owner', 'object', DEVICE, related_object_type=object_type('tenancy', 'tenant'))
field('owners', 'multiobject', DEVICE, related_object_type=object_type('tenancy', 'tenant'))
field('installed', 'date', DEVICE)
field('last_seen', 'datetime', DEVICE)
field('weight', 'decimal', DEVICE)
field('pxe', 'boolean', VM)
field('extra', 'json', DEVICE, INTERFACE)


def with_fields(obj, **values):
    """Every custom field of the object's type, null unless given, as NetBox's forms store them."""
    obj.custom_field_data = {cf.name: None for cf in CustomField.objects.get_for_model(obj)} | values
    obj.save()
    return obj


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
hall_cluster = Cluster.objects.create(name='c2', type=ClusterType.objects.get(slug='kvm'), scope=hall)
linux = Platform.objects.create(name='Linux', slug='linux')
bmc_role = DeviceRole.objects.create(name='BMC host', slug='bmc-host')
vm_role = DeviceRole.objects.create(name='VM server', slug='vm-server', vm_role=True)
servers = VLAN.objects.create(vid=100, name='servers', site=dc1)
storage = VLAN.objects.create(vid=200, name='storage ünï')
europe = Region.objects.create(name='Europe', slug='europe')


def ip(address, interface, boot_file=None, **fields):
    return with_fields(IPAddress(address=address, assigned_object=interface, **fields), boot_file=boot_file)


def mac(address, interface, primary=True):
    obj = MACAddress.objects.create(mac_address=address, assigned_object=interface)
    if primary:
        interface.primary_mac_address = obj
        interface.save()
    return obj


def device(name, custom=None, **fields):
    return with_fields(Device(name=name, device_type=model, role=fields.pop('role', server), site=fields.pop('site', dc1),
                              **fields),
                       **(custom or {}))


def interface(owner, name, custom=None, **fields):
    made = Interface(device=owner, name=name, type='1000base-t', **fields) if isinstance(owner, Device) \
        else VMInterface(virtual_machine=owner, name=name, **fields)
    return with_fields(made, **(custom or {}))


srv1 = device('srv1', tenant=acme, platform=linux, custom={
    'boot_class': 'pxe', 'boot_classes': ['uefi', 'pxe'], 'owner': acme.pk, 'owners': [acme.pk],
    'installed': '2024-05-01', 'last_seen': '2026-11-30T08:15:00+00:00', 'weight': 1.5,
    'extra': {'rack': {'u': 12, 'side': 'front'}, 'list': [1, 2.5, 'x', None, True], 'value': 'not a selection'}})
srv1.tags.add(critical)
eth0 = interface(srv1, 'eth0', untagged_vlan=servers, mode='access',
                 custom={'dhcp_duid': '00:03:00:01:02:00:00:00:00:01', 'extra': {'id': 7, 'url': 'kept as is'}})
eth0.tags.add(dhcp)
mac('02:00:00:00:00:01', eth0)
v4 = ip('192.0.2.10/24', eth0, boot_file='pxelinux.0', dns_name='srv1.example.com', description='first "server"')
v4.tags.add(dhcp, critical)
v6 = ip('2001:db8::10/64', eth0)
# Another address of the same interface, in another subnet (in the same one its MAC would conflict with the
# primary's): a reservation of reason "interface".
ip('203.0.113.11/24', eth0, dns_name='srv1-alias.example.com')
# The BMC: its own interface and MAC, the device's out-of-band IP.
ipmi = interface(srv1, 'ipmi', custom={'extra': [1, 2]})
mac('02:00:00:00:00:0a', ipmi)
srv1.primary_ip4, srv1.primary_ip6 = v4, v6
srv1.oob_ip = ip('192.0.2.210/24', ipmi, dns_name='srv1-bmc.example.com')
srv1.save()

# An interface without a MAC holding the out-of-band IP: no reservation, a warning.
bmc = device('bmc-only', role=bmc_role)
bare = interface(bmc, 'bmc')
bmc.oob_ip = ip('192.0.2.211/24', bare)
bmc.save()

# A primary IP on another device's interface (a virtual-chassis member): only an interface address there.
member = device('member-a')
member_if = interface(member, 'xe-0/0/0')
mac('02:00:00:00:00:a1', member_if)
shared = ip('192.0.2.60/24', member_if)
chassis = device('chassis', status='planned')
chassis.primary_ip4 = shared
chassis.save()

srv2 = device('srv2', site=dc2)
nomac = interface(srv2, 'eth0')
srv2.primary_ip4 = ip('192.0.2.20/24', nomac, status='reserved')
srv2.save()

srv3 = device('srv3')
twomacs = interface(srv3, 'eth0')
mac('02:00:00:00:00:31', twomacs, primary=False)
mac('02:00:00:00:00:32', twomacs, primary=False)
srv3.primary_ip4 = ip('192.0.2.30/24', twomacs)
srv3.save()

# The same MAC as srv1 in the same subnet: the higher IP id is skipped with a warning.
srv4 = device('srv4')
clone = interface(srv4, 'eth0')
mac('02:00:00:00:00:01', clone)
srv4.primary_ip4 = ip('192.0.2.40/24', clone)
srv4.save()

srv5 = device('srv5 ünïcode')
eth = interface(srv5, 'eth0', untagged_vlan=storage)
mac('02:00:00:00:00:51', eth)
srv5.primary_ip4 = ip('198.51.100.5/24', eth, vrf=blue, tenant=acme, description='in a VRF')
srv5.save()

vm1 = with_fields(VirtualMachine(name='vm1', cluster=cluster, role=vm_role, platform=linux, status='staged'),
                  boot_class='uefi', pxe=True)
vm1.tags.add(dhcp)
vmeth = interface(vm1, 'ens3', untagged_vlan=servers, mode='access', custom={'dhcp_duid': '00:04:aa:bb'})
vmeth.tags.add(critical)
mac('02:00:00:00:01:01', vmeth)
vm1.primary_ip4 = ip('192.0.2.101/24', vmeth, dns_name='vm1.example.com')
vm1.primary_ip6 = ip('2001:db8::101/64', vmeth)
vm1.save()

vm2 = with_fields(VirtualMachine(name='vm2', site=dc2))
vmeth2 = interface(vm2, 'ens3')
mac('02:00:00:00:01:02', vmeth2)
vm2.primary_ip4 = ip('10.9.0.2/16', vmeth2)
vm2.save()

# A VM without a site of its own in a cluster scoped to a location: the location's site.
vm3 = with_fields(VirtualMachine(name='vm3', cluster=hall_cluster))
vmeth3 = interface(vm3, 'eth0')
mac('02:00:00:00:01:03', vmeth3)
vm3.primary_ip6 = ip('2001:db8:9::3/64', vmeth3)
vm3.save()

for text, fields, cf in [('192.0.2.0/24', {'scope': dc1, 'vlan': servers}, {'vlan_hint': 10, 'kea_subnet_id': 42}),
                         ('192.0.0.0/16', {'scope': europe}, {'dhcp_routers': '192.0.2.1'}),
                         ('2001:db8::/64', {'scope': dc1}, {}),
                         ('198.51.100.0/24', {'vrf': blue, 'role': access, 'tenant': acme, 'vlan': storage},
                          {'vlan_hint': 20}),
                         ('10.9.0.0/16', {'scope': hall, 'is_pool': True, 'description': 'hall'}, {}),
                         ('203.0.113.0/24', {'status': 'reserved'}, {})]:
    prefix = with_fields(Prefix(prefix=text, **fields), **cf)
    if cf.get('vlan_hint') == 10:
        prefix.tags.add(dhcp)

pool = with_fields(IPRange(start_address=IPNetwork('192.0.2.100/24'), end_address=IPNetwork('192.0.2.199/24'),
                           description='pool', role=access), vlan_hint=7)
pool.tags.add(dhcp)
with_fields(IPRange(start_address=IPNetwork('198.51.100.50/24'), end_address=IPNetwork('198.51.100.60/24'), vrf=blue,
                    tenant=acme))
print('populated')

# The benchmark's estate (scripts/bench --netbox-api): KEA_NETBOX_POPULATE_HOSTS devices, each with one interface,
# one MAC and a primary IPv4 in 10.0.0.0/8 (254 per /24, each /24 a prefix), made in bulk.
hosts = int(os.environ.get('KEA_NETBOX_POPULATE_HOSTS', '0'))
if hosts:
    from dcim.choices import InterfaceTypeChoices
    interface_type = ContentType.objects.get_for_model(Interface)
    blank = {cf.name: None for cf in CustomField.objects.get_for_model(Device)}
    made = Device.objects.bulk_create([
        Device(name=f'bench-{n}', device_type=model, role=server, site=dc1, custom_field_data=blank)
        for n in range(hosts)], batch_size=2000)
    ports = Interface.objects.bulk_create([
        Interface(device=d, name='eth0', type=InterfaceTypeChoices.TYPE_1GE_FIXED,
                  custom_field_data={cf.name: None for cf in CustomField.objects.get_for_model(Interface)})
        for d in made], batch_size=2000)
    macs = MACAddress.objects.bulk_create([
        MACAddress(mac_address=f'02:10:{n >> 16 & 255:02x}:{n >> 8 & 255:02x}:{n & 255:02x}:01',
                   assigned_object_type=interface_type, assigned_object_id=p.pk)
        for n, p in enumerate(ports)], batch_size=2000)
    for p, m in zip(ports, macs):
        p.primary_mac_address = m
    Interface.objects.bulk_update(ports, ['primary_mac_address'], batch_size=2000)
    addresses = IPAddress.objects.bulk_create([
        IPAddress(address=f'10.{n // 254 >> 8}.{n // 254 & 255}.{n % 254 + 1}/24', assigned_object_type=interface_type, assigned_object_id=p.pk,
                  dns_name=f'bench-{n}.example.com', custom_field_data={'boot_file': None})
        for n, p in enumerate(ports)], batch_size=2000)
    for d, a in zip(made, addresses):
        d.primary_ip4 = a
    Device.objects.bulk_update(made, ['primary_ip4'], batch_size=2000)
    networks = sorted({str(IPNetwork(a.address).cidr) for a in addresses})
    Prefix.objects.bulk_create([Prefix(prefix=IPNetwork(n), custom_field_data={
        'vlan_hint': None, 'kea_subnet_id': None, 'dhcp_routers': None}) for n in networks], batch_size=2000)
    print(f'bench estate: {hosts} hosts, {len(networks)} prefixes')
