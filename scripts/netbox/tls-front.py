# A TLS front for the test NetBox: terminates TLS on 127.0.0.1 with a certificate from a throwaway CA (made by
# scripts/netbox-server) and passes the bytes on to NetBox's plain HTTP port, so the API reader's certificate
# checks (--ca-file, refusal without it) are tested against a real TLS server.
#   python tls-front.py LISTEN_PORT BACKEND_PORT CERT KEY
import asyncio
import ssl
import sys

listen, backend, cert, key = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, ssl.SSLError):
        pass
    finally:
        writer.close()


async def serve(client_reader, client_writer):
    try:
        reader, writer = await asyncio.open_connection('127.0.0.1', backend)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pipe(client_reader, writer), pipe(reader, client_writer))


async def main():
    server = await asyncio.start_server(serve, '127.0.0.1', listen, ssl=context)
    async with server:
        await server.serve_forever()

asyncio.run(main())
