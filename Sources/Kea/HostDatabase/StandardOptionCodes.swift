/// Kea's host database stores an option by code and space, not by name, so a reservation's `"name"` must be turned
/// into its code here. These are the standard options a host reservation commonly carries (names as Kea's
/// std_option_defs spell them, codes from the RFCs); any other option is written with its `"code"`.
enum StandardOptionCodes {
    static let dhcp4: [String: Int] = [
        "subnet-mask": 1, "time-offset": 2, "routers": 3, "time-servers": 4, "name-servers": 5,
        "domain-name-servers": 6, "log-servers": 7, "host-name": 12, "boot-size": 13, "domain-name": 15,
        "swap-server": 16, "root-path": 17, "ip-forwarding": 19, "default-ip-ttl": 23, "interface-mtu": 26,
        "broadcast-address": 28, "static-routes": 33, "nis-domain": 40, "nis-servers": 41, "ntp-servers": 42,
        "vendor-encapsulated-options": 43, "netbios-name-servers": 44, "netbios-node-type": 46,
        "netbios-scope": 47, "dhcp-lease-time": 51, "dhcp-renewal-time": 58, "dhcp-rebinding-time": 59,
        "vendor-class-identifier": 60, "tftp-server-name": 66, "boot-file-name": 67, "smtp-server": 69,
        "pop-server": 70, "www-server": 72, "v6-only-preferred": 108, "domain-search": 119,
        "vivso-suboptions": 125,
    ]

    static let dhcp6: [String: Int] = [
        "preference": 7, "unicast": 12, "sip-server-dns": 21, "sip-server-addr": 22, "dns-servers": 23,
        "domain-search": 24, "nis-servers": 27, "nisp-servers": 28, "nis-domain-name": 29, "nisp-domain-name": 30,
        "sntp-servers": 31, "information-refresh-time": 32, "vendor-opts": 17, "bootfile-url": 59,
        "bootfile-param": 60,
    ]

    static func code(of name: String, family: KeaFamily) -> Int? {
        (family == .v4 ? dhcp4 : dhcp6)[name]
    }
}
