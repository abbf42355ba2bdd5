import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `config-reload` over HTTP: through kea-ctrl-agent, or to Kea 3's own HTTP control socket (`control-sockets` entry
/// of type `http`). An HTTP POST of `{"command": "config-reload", "service": ["dhcp4"]}` (without `service` the agent
/// would act on itself); the reply is a JSON list whose elements must all have `result` 0. Plain HTTP over a POSIX
/// socket: the peer listens on a local address, and this keeps the module free of libcurl.
public struct HTTPReloader: Reloader {
    struct Endpoint: Sendable, Equatable {
        let host: String
        let port: UInt16
        let path: String

        init(url: String) throws(ReloadError) {
            guard url.hasPrefix("http://") else { throw ReloadError("not an http:// URL: \(url)") }
            var rest = Substring(url.dropFirst("http://".count))
            var path = "/"
            if let slash = rest.firstIndex(of: "/") {
                path = String(rest[slash...])
                rest = rest[..<slash]
            }
            guard !rest.contains("@") else {
                throw ReloadError("credentials in the --reload URL would show in the process list; use command:'curl --netrc-file …' instead")
            }
            var host = String(rest)
            var port: UInt16 = 8000
            if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                host = String(rest[rest.index(after: rest.startIndex)..<close])
                let after = rest[rest.index(after: close)...]
                if after.hasPrefix(":") {
                    guard let number = UInt16(after.dropFirst()) else { throw ReloadError("invalid port in \(url)") }
                    port = number
                }
            } else if let colon = rest.lastIndex(of: ":") {
                host = String(rest[..<colon])
                guard let number = UInt16(rest[rest.index(after: colon)...]) else { throw ReloadError("invalid port in \(url)") }
                port = number
            }
            guard !host.isEmpty else { throw ReloadError("no host in \(url)") }
            self.host = host
            self.port = port
            self.path = path
        }

        var hostHeader: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    public let url: String
    public let service: String
    public let timeout: Duration
    private let endpoint: Endpoint

    public init(url: String, service: String, timeout: Duration = .seconds(60)) throws(ReloadError) {
        self.url = url
        self.service = service
        self.timeout = timeout
        self.endpoint = try Endpoint(url: url)
    }

    public var methodDescription: String { "HTTP \(url) (\(service))" }

    /// kea-ctrl-agent routes by `"service"`, but Kea 3's own HTTP control socket ignores it and executes whatever it
    /// is sent: a reload meant for kea-dhcp6 sent to kea-dhcp4's socket reloads kea-dhcp4 and answers success. So
    /// ask first which daemon answers: every DHCPv4 server (2.2 to 3.x) keeps a `pkt4-received` statistic from
    /// its start, a DHCPv6 server `pkt6-received`, and `statistic-get` of the other family's name answers `{}`.
    public func preflight() throws(ReloadError) {
        let statistic = service == "dhcp4" ? "pkt4-received" : "pkt6-received"
        let body = "{\"command\": \"statistic-get\", \"service\": [" + JSONText.quoted(service)
            + "], \"arguments\": {\"name\": \"\(statistic)\"}}"
        let answers: [ConfigValue]
        do throws(ReloadError) {
            answers = try KeaReply.answers(try exchange(body), source: "HTTP \(url)")
        } catch where error.notRunning {
            return
        }
        for answer in answers {
            let text = answer["text"]?.stringValue ?? ""
            if text.contains("likely to be offline") { return }
            guard answer["result"]?.integerValue == 0, answer["arguments"]?[statistic] != nil else {
                throw ReloadError("HTTP \(url) is not the \(service) server this configuration is for: it has no \(statistic) statistic (\(text.isEmpty ? "result \(answer["result"]?.integerValue ?? -1)" : text)). Kea 3's own HTTP control socket ignores \"service\"; point --reload at the \(service) server's socket or at kea-ctrl-agent")
            }
        }
    }

    public func reload() throws(ReloadError) -> ReloadOutcome {
        let body = "{\"command\": \"config-reload\", \"service\": [" + JSONText.quoted(service) + "]}"
        do throws(ReloadError) {
            let detail = try KeaReply.sendRetryingOnce({ () throws(ReloadError) -> String in try exchange(body) },
                                                       source: "HTTP \(url)")
            return .reloaded(detail: detail)
        } catch where error.notRunning {
            return .notRunning(reason: error.message)
        } catch {
            // The agent answers for a server whose socket is gone: "… The server is likely to be offline".
            if error.message.contains("likely to be offline") { return .notRunning(reason: error.message) }
            throw error
        }
    }

    public func configHash() -> String? {
        let body = "{\"command\": \"config-hash-get\", \"service\": [" + JSONText.quoted(service) + "]}"
        guard let reply = try? exchange(body) else { return nil }
        return KeaReply.hash(reply, source: methodDescription)
    }

    /// One POST; the body of a 200 answer.
    private func exchange(_ body: String) throws(ReloadError) -> String {
        let response: (status: Int, body: String)
        do throws(ControlSocketClient.Failure) {
            response = try post(body)
        } catch {
            throw ReloadError(error.description, notRunning: error.isNotRunning)
        }
        guard response.status == 200 else {
            throw ReloadError("HTTP \(url) answered HTTP \(response.status): \(response.body.prefix(300))")
        }
        return response.body
    }

    func post(_ body: String) throws(ControlSocketClient.Failure) -> (status: Int, body: String) {
        let deadline = SocketIO.Deadline(timeout)
        let peer = "HTTP \(url)"
        let descriptor = try connect(deadline: deadline)
        defer { close(descriptor) }
        let bodyBytes = Array(body.utf8)
        let head = "POST \(endpoint.path) HTTP/1.1\r\nHost: \(endpoint.hostHeader)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(bodyBytes.count)\r\nConnection: close\r\n\r\n"
        try SocketIO.writeAll(Array(head.utf8) + bodyBytes, to: descriptor, deadline: deadline, peer: peer)
        let reply = try readResponse(descriptor, deadline: deadline, peer: peer)
        guard let headerEnd = Self.find([13, 10, 13, 10], in: reply) else {
            throw .failed("\(peer) sent an incomplete HTTP response")
        }
        let header = String(decoding: reply[..<headerEnd], as: UTF8.self)
        let statusLine = header.split(separator: "\r\n").first ?? ""
        let fields = statusLine.split(separator: " ")
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/"), let status = Int(fields[1]) else {
            throw .failed("\(peer) sent a malformed status line: \(statusLine.prefix(100))")
        }
        return (status, String(decoding: reply[(headerEnd + 4)...], as: UTF8.self))
    }

    /// Reads until the peer closes or the announced Content-Length has arrived (whichever is first).
    private func readResponse(_ descriptor: Int32, deadline: SocketIO.Deadline, peer: String) throws(ControlSocketClient.Failure) -> [UInt8] {
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var headerEnd: Int? = nil
        while true {
            // The header is looked for only until found, and only in the first 64 KiB: a peer that floods without
            // one must not make each read rescan everything.
            if headerEnd == nil {
                headerEnd = Self.find([13, 10, 13, 10], in: reply)
                if headerEnd == nil, reply.count > 1 << 16 { throw .failed("\(peer) sent no HTTP header in 64 KiB") }
            }
            if let headerEnd {
                let header = String(decoding: reply[..<headerEnd], as: UTF8.self).lowercased()
                if let line = header.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                   let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)),
                   reply.count - headerEnd - 4 >= length {
                    return Array(reply[..<(headerEnd + 4 + length)])
                }
            }
            try SocketIO.wait(descriptor, for: Int16(POLLIN), deadline: deadline, peer: peer)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .failed("cannot read from \(peer): \(AtomicFile.errorText())")
            }
            if count == 0 { return reply }
            try SocketIO.checkSize(reply.count + count, limit: SocketIO.maximumReply, peer: peer)
            reply.append(contentsOf: chunk[0..<count])
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return start }
        }
        return nil
    }

    private func connect(deadline: SocketIO.Deadline) throws(ControlSocketClient.Failure) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &list)
        guard status == 0, let first = list else {
            throw .failed("cannot resolve \(endpoint.host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var refused = false
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            entry = current.pointee.ai_next
            let descriptor = socket(current.pointee.ai_family, current.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), current.pointee.ai_protocol)
            guard descriptor >= 0 else { continue }
            let flags = fcntl(descriptor, F_GETFL)
            _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
            if Glibc.connect(descriptor, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0 { return descriptor }
            var code = errno
            if code == EINPROGRESS {
                do {
                    try SocketIO.wait(descriptor, for: Int16(POLLOUT), deadline: deadline, peer: "HTTP \(url)")
                    var socketError: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socketError, &length)
                    if socketError == 0 { return descriptor }
                    code = socketError
                } catch {
                    close(descriptor)
                    throw error
                }
            }
            close(descriptor)
            if code == ECONNREFUSED { refused = true }
            lastError = AtomicFile.errorText(code)
        }
        if refused { throw .notRunning("nothing listens at \(url) (connection refused)") }
        throw .failed("cannot connect to \(url): \(lastError)")
    }
}
