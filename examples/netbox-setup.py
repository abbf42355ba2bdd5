#!/usr/bin/env python3
"""Creates in NetBox the tag and custom fields that templates/kea-dhcp4-netbox.conf.tmpl and
templates/kea-dhcp6-netbox.conf.tmpl read (see examples/netbox-setup.md). Safe to run again: what exists is left
alone.

    NETBOX_URL=https://netbox.example.net NETBOX_TOKEN_FILE=~/.netbox-token python3 examples/netbox-setup.py

The token is read from the file NETBOX_TOKEN_FILE names (or from NETBOX_TOKEN), never from the command line, where
every user could read it in the process list. It needs write permission on extras.tag and extras.customfield.
Standard library only; NetBox 3.0 to 4.x (the custom field's object types are `object_types` from 4.0,
`content_types` before; both are tried).
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

TAGS = [
    {"name": "dhcp", "slug": "dhcp", "color": "4caf50",
     "description": "kea-netbox: this prefix is a Kea subnet"},
]

PREFIX = ["ipam.prefix"]
IDENTIFIER_OWNERS = ["dcim.interface", "virtualization.vminterface", "ipam.ipaddress"]
HEX_BYTES = r"^[0-9A-Fa-f]{2}([:-]?[0-9A-Fa-f]{2})+$"

CUSTOM_FIELDS = [
    {"name": "kea_subnet_id", "label": "Kea subnet id", "type": "integer", "types": PREFIX,
     "validation_minimum": 1, "validation_maximum": 4294967295,
     "description": "Kea subnet id (keys Kea's leases); the prefix id when empty"},
    {"name": "dhcp_router", "label": "DHCP router", "type": "text", "types": PREFIX,
     "description": "DHCPv4 routers option; inherited from the nearest containing prefix when empty"},
    {"name": "dhcp_dns_servers", "label": "DHCP DNS servers", "type": "text", "types": PREFIX,
     "description": "domain-name-servers (v4) / dns-servers (v6), comma-separated; inherited when empty"},
    {"name": "dhcp_domain_name", "label": "DHCP domain name", "type": "text", "types": PREFIX,
     "description": "DHCPv4 domain-name option; inherited when empty"},
    {"name": "dhcp_domain_search", "label": "DHCPv6 domain search", "type": "text", "types": PREFIX,
     "description": "DHCPv6 domain-search option; inherited when empty"},
    {"name": "dhcp_duid", "label": "DHCPv6 DUID", "type": "text", "types": IDENTIFIER_OWNERS,
     "validation_regex": HEX_BYTES,
     "description": "the host's DHCPv6 DUID (hex bytes, e.g. 00:03:00:01:02:00:00:00:00:01); reserved by it"},
    {"name": "dhcp_client_id", "label": "DHCPv4 client-id", "type": "text", "types": IDENTIFIER_OWNERS,
     "validation_regex": HEX_BYTES,
     "description": "the host's DHCPv4 client identifier (option 61, hex bytes); reserved by it"},
]


def token():
    path = os.environ.get("NETBOX_TOKEN_FILE")
    if path:
        with open(os.path.expanduser(path), encoding="utf-8") as handle:
            return handle.read().strip()
    if os.environ.get("NETBOX_TOKEN"):
        return os.environ["NETBOX_TOKEN"]
    sys.exit("set NETBOX_TOKEN_FILE (a file holding the API token) or NETBOX_TOKEN")


def call(base, secret, method, path, body=None):
    request = urllib.request.Request(
        base.rstrip("/") + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Token " + secret, "Content-Type": "application/json",
                 "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def exists(base, secret, kind, name):
    status, reply = call(base, secret, "GET", f"/api/extras/{kind}/?name={urllib.parse.quote(name)}")
    if status != 200:
        sys.exit(f"GET /api/extras/{kind}/: HTTP {status}: {reply}")
    return reply.get("count", 0) > 0


def main():
    base = os.environ.get("NETBOX_URL") or sys.exit("set NETBOX_URL, e.g. https://netbox.example.net")
    secret = token()
    for tag in TAGS:
        if exists(base, secret, "tags", tag["name"]):
            print(f"tag {tag['slug']}: exists")
            continue
        status, reply = call(base, secret, "POST", "/api/extras/tags/", tag)
        if status != 201:
            sys.exit(f"tag {tag['slug']}: HTTP {status}: {reply}")
        print(f"tag {tag['slug']}: created")
    for field in CUSTOM_FIELDS:
        if exists(base, secret, "custom-fields", field["name"]):
            print(f"custom field {field['name']}: exists")
            continue
        body = {key: value for key, value in field.items() if key != "types"}
        status, reply = call(base, secret, "POST", "/api/extras/custom-fields/", dict(body, object_types=field["types"]))
        if status == 400 and ("content_types" in str(reply) or "object_types" in str(reply)):
            status, reply = call(base, secret, "POST", "/api/extras/custom-fields/",
                                 dict(body, content_types=field["types"]))
        if status != 201:
            sys.exit(f"custom field {field['name']}: HTTP {status}: {reply}")
        print(f"custom field {field['name']}: created")


if __name__ == "__main__":
    main()
