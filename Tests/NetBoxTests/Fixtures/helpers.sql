-- Fixture helpers shared by both schema shapes, loaded after netbox-3.7.sql or netbox-4.x.sql, so that tests state
-- their data in one line per object. They resolve content types by name, like NetBox itself.
CREATE FUNCTION fx_ct(app text, name text) RETURNS integer LANGUAGE sql STABLE AS $$
    SELECT id FROM django_content_type WHERE app_label = app AND model = name
$$;
CREATE FUNCTION fx_site(slug_ text) RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO dcim_site (name, slug) VALUES (slug_, slug_) ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name
    RETURNING id
$$;
CREATE FUNCTION fx_tenant(slug_ text) RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO tenancy_tenant (name, slug) VALUES (slug_, slug_) ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name
    RETURNING id
$$;
CREATE FUNCTION fx_vrf(name_ text) RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO ipam_vrf (name, rd) VALUES (name_, name_) ON CONFLICT (rd) DO UPDATE SET name = EXCLUDED.name
    RETURNING id
$$;
CREATE FUNCTION fx_role(slug_ text) RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO ipam_role (name, slug) VALUES (slug_, slug_) ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name
    RETURNING id
$$;
CREATE FUNCTION fx_tag(app text, model text, object bigint, slug_ text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO extras_tag (name, slug) VALUES (slug_, slug_) ON CONFLICT (slug) DO NOTHING;
    INSERT INTO extras_taggeditem (object_id, content_type_id, tag_id)
    VALUES (object, fx_ct(app, model), (SELECT id FROM extras_tag WHERE slug = slug_));
$$;
CREATE FUNCTION fx_device(name_ text, site text DEFAULT 'dc1', tenant text DEFAULT NULL) RETURNS bigint
LANGUAGE sql AS $$
    INSERT INTO dcim_device (name, site_id, tenant_id)
    VALUES (name_, fx_site(site), CASE WHEN tenant IS NULL THEN NULL ELSE fx_tenant(tenant) END) RETURNING id
$$;
CREATE FUNCTION fx_vm(name_ text, site text DEFAULT 'dc1') RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO virtualization_virtualmachine (name, site_id) VALUES (name_, fx_site(site)) RETURNING id
$$;
-- An IP assigned to a device interface (on_vm false) or a VM interface (on_vm true).
CREATE FUNCTION fx_ip(address_ inet, iface bigint, on_vm boolean DEFAULT false, dns text DEFAULT '',
                      status_ text DEFAULT 'active', vrf text DEFAULT NULL, custom jsonb DEFAULT '{}')
RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO ipam_ipaddress (address, status, assigned_object_type_id, assigned_object_id, dns_name, vrf_id,
                                custom_field_data)
    VALUES (address_, status_,
            CASE WHEN on_vm THEN fx_ct('virtualization', 'vminterface') ELSE fx_ct('dcim', 'interface') END,
            iface, dns, CASE WHEN vrf IS NULL THEN NULL ELSE fx_vrf(vrf) END, custom)
    RETURNING id
$$;
-- Makes an IP the primary IPv4 or IPv6 (by its family) of the device or VM owning its interface.
CREATE FUNCTION fx_primary(ip bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
    SELECT a.assigned_object_type_id AS ct, a.assigned_object_id AS iface, family(a.address) AS fam INTO r
    FROM ipam_ipaddress a WHERE a.id = ip;
    IF r.ct = fx_ct('dcim', 'interface') THEN
        IF r.fam = 4 THEN
            UPDATE dcim_device SET primary_ip4_id = ip WHERE id = (SELECT device_id FROM dcim_interface WHERE id = r.iface);
        ELSE
            UPDATE dcim_device SET primary_ip6_id = ip WHERE id = (SELECT device_id FROM dcim_interface WHERE id = r.iface);
        END IF;
    ELSE
        IF r.fam = 4 THEN
            UPDATE virtualization_virtualmachine SET primary_ip4_id = ip
            WHERE id = (SELECT virtual_machine_id FROM virtualization_vminterface WHERE id = r.iface);
        ELSE
            UPDATE virtualization_virtualmachine SET primary_ip6_id = ip
            WHERE id = (SELECT virtual_machine_id FROM virtualization_vminterface WHERE id = r.iface);
        END IF;
    END IF;
END $$;
CREATE FUNCTION fx_prefix(prefix_ cidr, site text DEFAULT NULL, vrf text DEFAULT NULL, status_ text DEFAULT 'active',
                          role text DEFAULT NULL, tenant text DEFAULT NULL, pool boolean DEFAULT false)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE p bigint;
BEGIN
    INSERT INTO ipam_prefix (prefix, status, is_pool, vrf_id, role_id, tenant_id)
    VALUES (prefix_, status_, pool, CASE WHEN vrf IS NULL THEN NULL ELSE fx_vrf(vrf) END,
            CASE WHEN role IS NULL THEN NULL ELSE fx_role(role) END,
            CASE WHEN tenant IS NULL THEN NULL ELSE fx_tenant(tenant) END)
    RETURNING id INTO p;
    IF site IS NOT NULL THEN PERFORM fx_prefix_site(p, fx_site(site)); END IF;
    RETURN p;
END $$;
CREATE FUNCTION fx_range(start_ inet, end_ inet, vrf text DEFAULT NULL, status_ text DEFAULT 'active',
                         role text DEFAULT NULL) RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO ipam_iprange (start_address, end_address, status, vrf_id, role_id)
    VALUES (start_, end_, status_, CASE WHEN vrf IS NULL THEN NULL ELSE fx_vrf(vrf) END,
            CASE WHEN role IS NULL THEN NULL ELSE fx_role(role) END)
    RETURNING id
$$;
-- Device data: role, platform and device type (with its manufacturer) by slug, created when missing.
CREATE FUNCTION fx_device_details(device bigint, role_ text, platform_ text DEFAULT NULL,
                                  manufacturer_ text DEFAULT NULL, type_ text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE r bigint; p bigint; m bigint; t bigint;
BEGIN
    IF role_ IS NOT NULL THEN
        SELECT id INTO r FROM dcim_devicerole WHERE slug = role_;
        IF r IS NULL THEN INSERT INTO dcim_devicerole (name, slug) VALUES (role_, role_) RETURNING id INTO r; END IF;
        UPDATE dcim_device SET role_id = r WHERE id = device;
    END IF;
    IF platform_ IS NOT NULL THEN
        SELECT id INTO p FROM dcim_platform WHERE slug = platform_;
        IF p IS NULL THEN INSERT INTO dcim_platform (name, slug) VALUES (platform_, platform_) RETURNING id INTO p; END IF;
        UPDATE dcim_device SET platform_id = p WHERE id = device;
    END IF;
    IF type_ IS NOT NULL THEN
        SELECT id INTO m FROM dcim_manufacturer WHERE slug = manufacturer_;
        IF m IS NULL THEN
            INSERT INTO dcim_manufacturer (name, slug) VALUES (manufacturer_, manufacturer_) RETURNING id INTO m;
        END IF;
        INSERT INTO dcim_devicetype (manufacturer_id, model, slug) VALUES (m, type_, type_) RETURNING id INTO t;
        UPDATE dcim_device SET device_type_id = t WHERE id = device;
    END IF;
END $$;
CREATE FUNCTION fx_vlan(vid_ integer, name_ text) RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO ipam_vlan (vid, name) VALUES (vid_, name_) RETURNING id
$$;
-- Makes an IP the out-of-band IP of the device owning its interface.
CREATE FUNCTION fx_oob(ip bigint) RETURNS void LANGUAGE sql AS $$
    UPDATE dcim_device SET oob_ip_id = ip
    WHERE id = (SELECT i.device_id FROM ipam_ipaddress a JOIN dcim_interface i ON i.id = a.assigned_object_id
                WHERE a.id = ip AND a.assigned_object_type_id = fx_ct('dcim', 'interface'))
$$;
