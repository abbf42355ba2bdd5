#!/usr/bin/env python3
"""The Python + Jinja2 side of kea-netbox-bench's side-by-side run.

Reads a kea-netbox snapshot (the same JSON `kea-netbox render --data` reads) and renders the bench's Kea template
translated to Jinja2 syntax, serving the same lookups kea-netbox gives a template: prefixes(family=...),
ranges(within=p) and reservations(p), each sorted by address and filtered to status "active" like kea-netbox's
defaults. The lookups use sorted lists and bisect, so the comparison is with a reasonable Python script, not a
quadratic one.

usage: jinja-render.py SNAPSHOT TEMPLATE OUTPUT
"""
import bisect
import ipaddress
import json
import socket
import sys

import jinja2


def address_key(text):
    """One integer per address that orders IPv4 before IPv6, then numerically (as kea-netbox sorts)."""
    if ":" in text:
        return (1 << 128) + int.from_bytes(socket.inet_pton(socket.AF_INET6, text), "big")
    return int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big")


def network_keys(prefix_text):
    network = ipaddress.ip_network(prefix_text)
    offset = (1 << 128) if network.version == 6 else 0
    return offset + int(network.network_address), offset + int(network.broadcast_address)


class Lookups:
    def __init__(self, snapshot):
        self.by_vrf = {}
        for r in snapshot["reservations"]:
            if r["status"] == "active":
                self.by_vrf.setdefault(r["vrf"], []).append((address_key(r["ip"]), r["ip_id"], r))
        self.keys = {}
        for vrf, entries in self.by_vrf.items():
            entries.sort(key=lambda entry: (entry[0], entry[1]))
            self.keys[vrf] = [entry[0] for entry in entries]
        self.ranges_by_vrf = {}
        for r in snapshot["ip_ranges"]:
            if r["status"] == "active":
                self.ranges_by_vrf.setdefault(r["vrf"], []).append((address_key(r["start"]), r["id"], r))
        for entries in self.ranges_by_vrf.values():
            entries.sort(key=lambda entry: (entry[0], entry[1]))
        self.all_prefixes = []
        for p in snapshot["prefixes"]:
            if p["status"] == "active":
                network = ipaddress.ip_network(p["prefix"])
                self.all_prefixes.append(((network.version, int(network.network_address), network.prefixlen, p["id"]), p))
        self.all_prefixes.sort(key=lambda entry: entry[0])

    def prefixes(self, family=None):
        return [p for key, p in self.all_prefixes if family is None or key[0] == family]

    def reservations(self, subnet):
        low, high = network_keys(subnet["prefix"])
        keys = self.keys.get(subnet["vrf"], [])
        entries = self.by_vrf.get(subnet["vrf"], [])
        return [entry[2] for entry in entries[bisect.bisect_left(keys, low):bisect.bisect_right(keys, high)]]

    def ranges(self, within):
        low, high = network_keys(within["prefix"])
        return [r for key, _, r in self.ranges_by_vrf.get(within["vrf"], [])
                if low <= key <= high and address_key(r["end"]) <= high]


def error(message):
    raise RuntimeError(message)


def main(snapshot_path, template_path, output_path):
    with open(snapshot_path, encoding="utf-8") as file:
        snapshot = json.load(file)
    lookups = Lookups(snapshot)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader("/"), trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined, autoescape=False)
    environment.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False)
    template = environment.get_template(template_path)
    text = template.render(
        prefixes=lookups.prefixes, reservations=lookups.reservations, ranges=lookups.ranges, error=error,
        netbox={"schema": snapshot["netbox"]["schema"]})
    with open(output_path, "w", encoding="utf-8", newline="") as file:
        file.write(text)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3])
