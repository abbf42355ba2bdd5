-- A read-only PostgreSQL role for kea-netbox.
--
-- Run once as a superuser (or the owner of NetBox's tables), connected to the NetBox database:
--     sudo -u postgres psql -d netbox -f netbox-readonly.sql
-- then give the role a password (ALTER ROLE kea_netbox PASSWORD '…', and put it in ~/.pgpass of the user running
-- kea-netbox, never on the command line) or map it to a system user with peer authentication in pg_hba.conf.
-- Rename kea_netbox throughout to use another role name. Re-running the script is harmless.
--
-- Works for NetBox 3.0 to 4.7: tables that only some versions have are granted only when present.
-- kea-netbox reads inside a READ ONLY transaction anyway; default_transaction_read_only is a second fence.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'kea_netbox') THEN
        CREATE ROLE kea_netbox LOGIN;
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO kea_netbox', current_database());
END $$;

GRANT USAGE ON SCHEMA public TO kea_netbox;

GRANT SELECT ON
    django_content_type,
    dcim_device, dcim_interface, dcim_site, dcim_devicerole, dcim_platform, dcim_devicetype, dcim_manufacturer,
    virtualization_virtualmachine, virtualization_vminterface, virtualization_cluster,
    ipam_ipaddress, ipam_prefix, ipam_iprange, ipam_vrf, ipam_role, ipam_vlan,
    tenancy_tenant,
    extras_tag, extras_taggeditem
TO kea_netbox;

-- NetBox 4.2 and later keep MAC addresses in their own table.
DO $$
BEGIN
    IF to_regclass('dcim_macaddress') IS NOT NULL THEN
        GRANT SELECT ON dcim_macaddress TO kea_netbox;
    END IF;
END $$;

-- The change log, for the change probe of install and watch (core_objectchange from 4.1, extras_ before).
DO $$
BEGIN
    IF to_regclass('core_objectchange') IS NOT NULL THEN
        GRANT SELECT ON core_objectchange TO kea_netbox;
    ELSIF to_regclass('extras_objectchange') IS NOT NULL THEN
        GRANT SELECT ON extras_objectchange TO kea_netbox;
    END IF;
END $$;

ALTER ROLE kea_netbox SET default_transaction_read_only = on;
