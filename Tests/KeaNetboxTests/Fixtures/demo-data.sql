-- A small NetBox in the shape of the demo snapshot, written with the fixture helpers of
-- Tests/NetBoxTests/Fixtures (loaded first, for either schema shape), so the shipped templates render real data.
DO $$
DECLARE d bigint; v bigint; i bigint; ip bigint;
BEGIN
    PERFORM fx_prefix('192.0.2.0/24', site => 'ams1', role => 'servers');
    PERFORM fx_prefix('198.51.100.0/24', site => 'fra1', role => 'servers');
    PERFORM fx_prefix('203.0.113.0/24', site => 'ams1', vrf => 'oob', tenant => 'ops');
    PERFORM fx_prefix('2001:db8:1::/64', site => 'ams1');
    PERFORM fx_prefix('2001:db8:2::/64', site => 'fra1');
    PERFORM fx_range('198.51.100.100/24', '198.51.100.199/24');
    PERFORM fx_range('2001:db8:2::1000/64', '2001:db8:2::1fff/64');

    d := fx_device('web1', 'ams1');
    i := fx_interface(d, 'eth0', '02:00:00:01:00:10');
    PERFORM fx_primary(fx_ip('192.0.2.10/24', i, dns => 'web1.ams1.example.net'));
    PERFORM fx_primary(fx_ip('2001:db8:1::10/64', i, dns => 'web1.ams1.example.net'));
    i := fx_interface(d, 'bmc', '02:00:00:03:00:10');
    PERFORM fx_ip('203.0.113.10/24', i, dns => 'web1-bmc.oob.example.net', vrf => 'oob');

    d := fx_device('nas1', 'ams1');
    i := fx_interface(d, 'bond0', '02:00:00:01:00:30');
    PERFORM fx_primary(fx_ip('192.0.2.30/24', i));

    d := fx_device('printer-old', 'ams1');
    i := fx_interface(d, 'lan', '02:00:00:01:00:41');
    PERFORM fx_primary(fx_ip('192.0.2.41/24', i, dns => 'printer-old.ams1.example.net', status_ => 'deprecated'));

    d := fx_device('core-sw1', 'ams1', tenant => 'ops');
    i := fx_interface(d, 'mgmt0', '02:00:00:03:00:30');
    PERFORM fx_primary(fx_ip('203.0.113.30/24', i, dns => 'core-sw1-mgmt.oob.example.net', vrf => 'oob'));

    d := fx_device('web3', 'fra1');
    i := fx_interface(d, 'eth0', '02:00:00:02:00:10');
    PERFORM fx_primary(fx_ip('198.51.100.10/24', i, dns => 'web3.fra1.example.net'));
    PERFORM fx_primary(fx_ip('2001:db8:2::10/64', i, dns => 'web3.fra1.example.net'));

    d := fx_device('sensor-gw', 'fra1');
    i := fx_interface(d, 'wan0', '02:00:00:02:00:30');
    PERFORM fx_primary(fx_ip('2001:db8:2::30/64', i, dns => 'sensor-gw.fra1.example.net'));

    v := fx_vm('ci-runner-1', 'fra1');
    i := fx_vminterface(v, 'ens3', '02:00:00:02:00:60');
    PERFORM fx_primary(fx_ip('198.51.100.60/24', i, on_vm => true, dns => 'ci-runner-1.fra1.example.net'));

    -- A hostile name: quotes, a newline, template syntax and non-ASCII are data.
    d := fx_device(E'evil", "boot-file-name": "x\n{{ netbox }} café', 'fra1');
    i := fx_interface(d, 'eth0', '02:00:00:02:00:66');
    PERFORM fx_primary(fx_ip('198.51.100.66/24', i));
END $$;
