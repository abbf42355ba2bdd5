import Foundation
import Synchronization

/// GET requests to NetBox's REST API: authentication, paging, retries, and errors that say what to fix.
struct NetBoxAPIClient {
    let baseURL: URL
    /// `Authorization` header value; never part of a message.
    private let authorization: String
    private let transfer: CurlTransfer
    let maxAttempts: Int
    let firstBackoff: Duration

    init(baseURL: URL, token: String, timeout: Duration, caFile: String? = nil, maxAttempts: Int = 4,
         firstBackoff: Duration = .milliseconds(500)) {
        self.baseURL = baseURL
        // NetBox 4.5+ v2 tokens are `nbt_<key>.<secret>` sent as Bearer; v1 tokens are 40 characters sent as Token.
        authorization = token.hasPrefix("nbt_") ? "Bearer \(token)" : "Token \(token)"
        transfer = CurlTransfer(timeout: timeout, caFile: caFile)
        self.maxAttempts = maxAttempts
        self.firstBackoff = firstBackoff
    }

    /// Pages asked for at once after the first. NetBox serialises a page of 1,000 nested objects in seconds, in
    /// one worker per request (gunicorn's, or runserver's threads), so a read of forty pages one after the other
    /// waits on one worker while the others idle; four in flight keep a small NetBox busy without crowding it.
    static let pagesInFlight = 4

    /// Every object of a list endpoint, in id order; `objectType` (`ipam.iprange`) names what a 403 lacks.
    ///
    /// The first page says how many objects there are and how many a page holds (NetBox caps `limit` at its
    /// MAX_PAGE_SIZE), and the others are then asked for by offset, `pagesInFlight` at a time. An object added or
    /// removed meanwhile shifts the offsets, as it would shift NetBox's own `next` links: a page that counts
    /// another total is an error, and the reader's change-log check sees the edits NetBox logs.
    func list(_ path: String, fields: [String], objectType: String, pageSize: Int) throws(DataSourceError)
        -> [[String: JSONValue]]
    {
        func url(offset: Int) throws(DataSourceError) -> URL {
            var components = URLComponents(url: baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)
            components?.queryItems = [URLQueryItem(name: "limit", value: "\(pageSize)"),
                                      URLQueryItem(name: "offset", value: "\(offset)"),
                                      URLQueryItem(name: "ordering", value: "id"),
                                      URLQueryItem(name: "fields", value: fields.joined(separator: ","))]
            guard let url = components?.url else {
                throw DataSourceError(reason: .connection, message: "cannot build a request URL from \(baseURL)")
            }
            return url
        }
        let first = try listPage(url(offset: 0), objectType: objectType)
        guard case .integer(let total)? = first.body["count"] else {
            throw DataSourceError(reason: .schema, message: "\(NetBoxAPIClient.display(try url(offset: 0))): a NetBox list without \"count\"")
        }
        let perPage = first.results.count
        guard total > perPage else { return first.results }
        guard perPage > 0 else { throw changedDuringRead(objectType, expected: Int(total), found: 0) }
        var urls: [URL] = []
        for offset in stride(from: perPage, to: Int(total), by: perPage) { urls.append(try url(offset: offset)) }
        let pages = try concurrentPages(urls, objectType: objectType)
        var objects = first.results
        objects.reserveCapacity(Int(total))
        for page in pages {
            guard case .integer(let count)? = page.body["count"], count == total else {
                let found: Int? = if case .integer(let count)? = page.body["count"] { Int(count) } else { nil }
                throw changedDuringRead(objectType, expected: Int(total), found: found)
            }
            objects += page.results
        }
        guard objects.count == Int(total) else { throw changedDuringRead(objectType, expected: Int(total), found: objects.count) }
        return objects
    }

    /// The pages at `urls`, in their order, fetched `pagesInFlight` at a time (each transfer its own libcurl
    /// handle); the first failure in `urls`' order is thrown, and no new page is started after one.
    private func concurrentPages(_ urls: [URL], objectType: String) throws(DataSourceError)
        -> [(body: [String: JSONValue], results: [[String: JSONValue]])]
    {
        typealias Page = (body: [String: JSONValue], results: [[String: JSONValue]])
        let outcomes = Mutex<[Result<Page, DataSourceError>?]>(Array(repeating: nil, count: urls.count))
        let next = Atomic<Int>(0)
        let failed = Atomic<Bool>(false)
        DispatchQueue.concurrentPerform(iterations: min(Self.pagesInFlight, urls.count)) { _ in
            while !failed.load(ordering: .relaxed) {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < urls.count else { return }
                let outcome: Result<Page, DataSourceError>
                do throws(DataSourceError) {
                    outcome = .success(try listPage(urls[index], objectType: objectType))
                } catch {
                    outcome = .failure(error)
                    failed.store(true, ordering: .relaxed)
                }
                outcomes.withLock { $0[index] = outcome }
            }
        }
        let all = outcomes.withLock { $0 }
        // No page is left unfetched unless one failed: then the first failure in page order is the answer.
        for case .failure(let error)? in all { throw error }
        return all.compactMap { outcome in
            if case .success(let page)? = outcome { page } else { nil }
        }
    }

    private func changedDuringRead(_ objectType: String, expected: Int, found: Int?) -> DataSourceError {
        DataSourceError(reason: .query, message: """
            NetBox's \(objectType) list changed during the read (\(expected) objects at the first page,             \(found.map { "\($0)" } ?? "no count") later); nothing was rendered from a half-edited state. Run again             when the edits have settled
            """)
    }

    /// The first object of a list endpoint under `query` (filters, `ordering`, `fields`) and how many match.
    func page(_ path: String, objectType: String, query: [String: String]) throws(DataSourceError)
        -> (count: Int, results: [[String: JSONValue]])
    {
        var components = URLComponents(url: baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)
        components?.queryItems = [URLQueryItem(name: "limit", value: "1")]
            + query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        guard let url = components?.url else {
            throw DataSourceError(reason: .connection, message: "cannot build a request URL from \(baseURL)")
        }
        let page = try listPage(url, objectType: objectType)
        guard case .integer(let count)? = page.body["count"] else {
            throw DataSourceError(reason: .schema, message: "\(NetBoxAPIClient.display(url)): a NetBox list without \"count\"")
        }
        return (count, page.results)
    }

    /// One page of a list endpoint: its body and its objects.
    private func listPage(_ url: URL, objectType: String) throws(DataSourceError)
        -> (body: [String: JSONValue], results: [[String: JSONValue]])
    {
        guard case .object(let page) = try get(url, objectType: objectType),
              case .array(let results)? = page["results"] else {
            throw DataSourceError(reason: .schema, message: """
                \(NetBoxAPIClient.display(url)): not a NetBox list (no "results"); is \(baseURL) a NetBox 4.x API?
                """)
        }
        var objects: [[String: JSONValue]] = []
        objects.reserveCapacity(results.count)
        for result in results {
            guard case .object(let object) = result else {
                throw DataSourceError(reason: .schema, message: "\(NetBoxAPIClient.display(url)): a result is not an object")
            }
            objects.append(object)
        }
        return (page, objects)
    }

    /// One GET with retries on connection failures, 429 and 5xx (honouring Retry-After), then a parsed body.
    func get(_ url: URL, objectType: String) throws(DataSourceError) -> JSONValue {
        let headers = ["Authorization: \(authorization)", "Accept: application/json"]
        var backoff = firstBackoff
        var attempt = 1
        while true {
            var wait = backoff
            switch transfer.get(url.absoluteString, headers: headers, want: ["Retry-After", "Location"]) {
            case .failure(let failure):
                if attempt >= maxAttempts || !failure.transient {
                    throw DataSourceError(reason: .connection, message: """
                        cannot reach the NetBox API at \(NetBoxAPIClient.display(url)): \(failure.message) \
                        (\(attempt) attempt\(attempt == 1 ? "" : "s")); check --netbox-url\(NetBoxAPIClient.tlsHint(failure))
                        """)
                }
            case .success(let response):
                let status = response.status, body = response.body
                switch status {
                case 200..<300:
                    guard let text = String(validating: body, as: UTF8.self), let value = try? JSONValue.parse(text) else {
                        throw DataSourceError(reason: .schema, message: """
                            \(NetBoxAPIClient.display(url)) did not answer with JSON: is \(baseURL) a NetBox URL?
                            """)
                    }
                    return value
                case 300..<400:
                    // Not followed: the token would go wherever the redirect points.
                    throw DataSourceError(reason: .connection, message: """
                        \(NetBoxAPIClient.display(url)) answered \(status), a redirect to \
                        \(response.headers["Location"] ?? "another URL"); give that URL as --netbox-url
                        """)
                // NetBox answers a bad, expired or missing token with 403 ("Invalid v1 token"), not 401, so the
                // detail tells a refused token from a token without permission.
                case _ where status == 401 || (status == 403 && NetBoxAPIClient.refusesToken(body)):
                    throw DataSourceError(reason: .permission, message: """
                        the NetBox API refused the token (\(status)\(NetBoxAPIClient.detail(body))) at \
                        \(NetBoxAPIClient.display(url)): check NETBOX_TOKEN or --netbox-token-file
                        """)
                case 403:
                    throw DataSourceError(reason: .permission, message: """
                        permission denied: the token may not view \(objectType) (403\(NetBoxAPIClient.detail(body)) \
                        from \(NetBoxAPIClient.display(url))); give its user an object permission with the view \
                        action on \(objectType)
                        """)
                case 404:
                    throw DataSourceError(reason: .schema, message: """
                        \(NetBoxAPIClient.display(url)) was not found (404): is \(baseURL) the NetBox URL (without \
                        /api), and NetBox 4.0 or later?
                        """)
                case 429, 500..<600:
                    if let after = response.headers["Retry-After"].flatMap({ Int($0) }), after >= 0 {
                        wait = .seconds(min(after, 30))
                    }
                    if attempt >= maxAttempts {
                        throw DataSourceError(reason: .connection, message: """
                            the NetBox API answered \(status)\(NetBoxAPIClient.detail(body)) to \
                            \(NetBoxAPIClient.display(url)) \(attempt) times; giving up
                            """)
                    }
                default:
                    throw DataSourceError(reason: .query, message: """
                        the NetBox API answered \(status)\(NetBoxAPIClient.detail(body)) to \(NetBoxAPIClient.display(url))
                        """)
                }
            }
            Thread.sleep(forTimeInterval: Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18)
            backoff = backoff * 2
            attempt += 1
        }
    }

    /// A certificate libcurl could not verify: say how to trust a private CA.
    private static func tlsHint(_ failure: CurlTransfer.Failure) -> String {
        let text = failure.message.lowercased()
        guard text.contains("certificate") else { return "" }
        return ", or give the certificate authority that signed NetBox's certificate with --ca-file"
    }

    /// The URL as shown in messages: without any user:password part.
    static func display(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "the NetBox URL" }
        components.user = nil
        components.password = nil
        return components.string ?? "the NetBox URL"
    }

    /// Whether a 403's detail is about the token itself (DRF's AuthenticationFailed and NotAuthenticated texts,
    /// NetBox's "Invalid v1 token", "Token expired") rather than a missing object permission.
    private static func refusesToken(_ body: [UInt8]) -> Bool {
        let text = detail(body).lowercased()
        return ["token", "credentials", "authentication"].contains { text.contains($0) }
    }

    /// NetBox's `{"detail": "…"}` text, when the body has one.
    private static func detail(_ body: [UInt8]) -> String {
        guard let text = String(validating: body.prefix(4096), as: UTF8.self),
              case .object(let object)? = try? JSONValue.parse(text),
              case .string(let detail)? = object["detail"] else { return "" }
        return ": \(detail)"
    }
}
