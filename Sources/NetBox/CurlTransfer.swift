import CLibCurl

/// One HTTP GET through libcurl's easy interface: what the NetBox API client needs and nothing more.
///
/// libcurl rather than Foundation's URLSession: on Linux URLSession cannot be given trust roots (swift-corelibs-
/// foundation reads `URLSessionCertificateAuthorityInfoFile` only on Android), so a NetBox behind a private CA could
/// only be reached by changing the system's trust store. Here `CURLOPT_CAINFO` takes `--ca-file`; the transfer
/// runs on the calling thread (no Foundation worker threads, no semaphore), with libcurl's own timeouts. TLS
/// peer and host name verification stay on: they are libcurl's defaults and nothing here turns them off.
struct CurlTransfer {
    struct Response {
        let status: Int
        let body: [UInt8]
        /// Headers asked for by name (`Retry-After`, `Location`), as the server sent them.
        let headers: [String: String]
    }

    /// Why a transfer gave no HTTP answer, in libcurl's words (`Could not connect to server`, `SSL peer certificate
    /// or SSH remote key was not OK: …`).
    struct Failure: Error {
        let message: String
        /// False when trying again cannot help: a certificate that does not verify, a bad CA file, a bad URL.
        var transient = true
    }

    /// A body larger than this is refused rather than held in memory (a page of 1,000 NetBox objects is about 1 MB).
    static let maxBody = 256 << 20

    let timeout: Duration
    /// PEM file of the certificate authorities to trust instead of the system's (`--ca-file`); nil: the system's.
    let caFile: String?

    func get(_ url: String, headers: [String], want: [String]) -> Result<Response, Failure> {
        guard let curl = curl_easy_init() else { return .failure(Failure(message: "libcurl could not start a transfer")) }
        defer { curl_easy_cleanup(curl) }
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for header in headers { list = curl_slist_append(list, header) }
        defer { curl_slist_free_all(list) }

        final class Sink {
            var body: [UInt8] = []
            var tooLarge = false
        }
        let sink = Sink()
        var errors = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let milliseconds = Int(timeout.components.seconds) * 1000 + Int(timeout.components.attoseconds / 1_000_000_000_000_000)
        let code: CURLcode = withExtendedLifetime(sink) {
            errors.withUnsafeMutableBufferPointer { buffer in
                var set = kea_netbox_curl_set_string(curl, CURLOPT_URL, url)
                func also(_ result: CURLcode) { if set == CURLE_OK { set = result } }
                also(kea_netbox_curl_set_string(curl, CURLOPT_PROTOCOLS_STR, "http,https"))
                also(kea_netbox_curl_set_list(curl, CURLOPT_HTTPHEADER, list))
                // The timeout covers the whole request; no signals (libcurl would use SIGALRM for DNS otherwise).
                also(kea_netbox_curl_set_long(curl, CURLOPT_TIMEOUT_MS, milliseconds))
                also(kea_netbox_curl_set_long(curl, CURLOPT_NOSIGNAL, 1))
                // gzip and deflate when the server offers them (a reverse proxy in front of NetBox usually does).
                also(kea_netbox_curl_set_string(curl, CURLOPT_ACCEPT_ENCODING, ""))
                if let caFile { also(kea_netbox_curl_set_string(curl, CURLOPT_CAINFO, caFile)) }
                also(kea_netbox_curl_set_pointer(curl, CURLOPT_ERRORBUFFER, buffer.baseAddress))
                also(kea_netbox_curl_set_pointer(curl, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque()))
                also(kea_netbox_curl_set_write(curl) { data, size, count, context in
                    guard let data, let context else { return 0 }
                    let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
                    let length = size * count
                    guard sink.body.count + length <= CurlTransfer.maxBody else {
                        sink.tooLarge = true
                        return 0
                    }
                    data.withMemoryRebound(to: UInt8.self, capacity: length) {
                        sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
                    }
                    return length
                })
                guard set == CURLE_OK else { return set }
                return curl_easy_perform(curl)
            }
        }
        guard code == CURLE_OK else {
            if sink.tooLarge {
                return .failure(Failure(message: "the answer is larger than \(CurlTransfer.maxBody >> 20) MiB",
                                        transient: false))
            }
            let detail = String(decoding: errors.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let text = String(cString: curl_easy_strerror(code))
            let permanent = [CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM,
                             CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT].contains(code)
            return .failure(Failure(message: detail.isEmpty ? text : "\(text): \(detail)", transient: !permanent))
        }
        var status = 0
        _ = kea_netbox_curl_get_long(curl, CURLINFO_RESPONSE_CODE, &status)
        var found: [String: String] = [:]
        for name in want {
            var header: UnsafeMutablePointer<curl_header>? = nil
            if curl_easy_header(curl, name, 0, UInt32(CURLH_HEADER), -1, &header) == CURLHE_OK, let value = header?.pointee.value {
                found[name] = String(cString: value)
            }
        }
        return .success(Response(status: status, body: sink.body, headers: found))
    }
}
