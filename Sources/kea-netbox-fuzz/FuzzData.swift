import Foundation
import NetBox

/// The NetBox a fuzzed template renders against: one prefix with a range and two reservations, enough for every
/// lookup to return something.
enum FuzzData {
    static let snapshot: Snapshot = {
        let text = #"""
        {"format": "kea-netbox-snapshot/1", "netbox": {"schema": "4.2+"},
         "prefixes": [{"id": 1, "prefix": "192.0.2.0/24", "family": 4, "status": "active", "tags": ["dhcp"],
                       "custom_fields": {"router": "192.0.2.1", "list": [1, "two", null, {"k": true}]}},
                      {"id": 2, "prefix": "2001:db8::/64", "family": 6, "status": "active", "vrf": "v"}],
         "ip_ranges": [{"id": 1, "start": "192.0.2.100", "end": "192.0.2.199", "family": 4, "status": "active"}],
         "reservations": [
           {"ip_id": 1, "ip": "192.0.2.10", "prefix_length": 24, "family": 4, "mac": "02:00:00:00:00:01",
            "hostname": "a\"b", "dns_name": "", "name": "a\"b", "kind": "device", "interface": "eth0",
            "status": "active", "description": "*/ // \n", "tags": ["t"]},
           {"ip_id": 2, "ip": "2001:db8::10", "prefix_length": 64, "family": 6, "mac": "02:00:00:00:00:02",
            "hostname": "café", "dns_name": "café", "name": "v", "kind": "vm", "interface": "eth0",
            "status": "active", "vrf": "v"}]}
        """#
        do {
            return try Snapshot.decode(Data(text.utf8))
        } catch {
            fatalError("the fuzzers' own snapshot does not decode: \(error)")
        }
    }()
}
