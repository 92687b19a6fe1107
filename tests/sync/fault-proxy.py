#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# fault-proxy.py – a seeded fault-injecting HTTP/1.1 proxy for the sync tests.
#
#   fault-proxy.py --upstream HOST:PORT [--listen HOST:PORT] [--seed N]
#                  [--faults KIND=PERCENT,…] [--clean] [--max-delay-ms N]
#
# It sits between leadsctl clients and a real leads-server on loopback and
# forwards every request, except that – chosen by a random generator seeded
# with --seed, one draw per request in the order requests arrive – it
#
#   drop_request  closes the client's connection without forwarding
#   drop_reply    forwards (the server commits), then closes without a reply
#   delay         waits up to --max-delay-ms before forwarding
#   reset         resets the client's connection (TCP RST) without forwarding
#   reset_reply   forwards, then resets the client's connection
#   truncate      forwards, then sends only part of the reply's body
#   corrupt       forwards, then sends the body with broken JSON
#   error         answers 500, 502 or 503 itself without forwarding
#   error_reply   forwards, then answers 502 itself (the server committed)
#   rate          answers 429 with Retry-After itself without forwarding
#   duplicate     sends the request upstream twice at once (two connections)
#                 and answers with one of the two replies
#
# The first line on stdout is "fault-proxy: listening on HOST:PORT seed N";
# after it, one line per request on stdout says what was done:
# "#12 POST /api/v1/sync/push -> drop_reply (upstream 200)".
#
# Control (answered by the proxy, never forwarded), all on the same port:
#   POST /__proxy/clean     stop injecting faults (scripted ones included)
#   POST /__proxy/faults    inject faults again
#   POST /__proxy/script    body: JSON list of {"path": PREFIX, "action": A,
#                           "count": N}; the next N requests whose path starts
#                           with PREFIX get action A, before any random fault.
#                           Besides the kinds above, A may be "bad_json",
#                           "wrong_types" (every scalar of the JSON reply
#                           replaced by one of another type), "huge" (a 2xx
#                           reply with a JSON body of --huge-mib MiB) or "pass".
#   GET  /__proxy/log       the log so far as JSON
#   GET  /__proxy/stats     {"requests", "forwarded", "actions": {…}, "clean"}
# SIGUSR1 switches to clean mode, SIGUSR2 back to faults.

import argparse
import asyncio
import json
import random
import signal
import socket
import struct
import sys

KINDS = ['drop_request', 'drop_reply', 'delay', 'reset', 'reset_reply', 'truncate',
         'corrupt', 'error', 'error_reply', 'rate', 'duplicate']
SCRIPT_ONLY = ['bad_json', 'wrong_types', 'huge', 'pass']
DEFAULT_FAULTS = ('drop_request=4,drop_reply=4,delay=8,reset=3,reset_reply=3,truncate=3,'
                  'corrupt=3,error=4,error_reply=2,rate=2,duplicate=3')
# Faults decided before the request goes upstream; the rest act on the reply.
BEFORE = {'drop_request', 'reset', 'error', 'rate'}
HOP_HEADERS = {'connection', 'keep-alive', 'transfer-encoding', 'content-length',
               'proxy-connection', 'te', 'trailer', 'upgrade'}
MAX_HEADER = 64 * 1024
REASONS = {200: 'OK', 204: 'No Content', 400: 'Bad Request', 404: 'Not Found',
           429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway',
           503: 'Service Unavailable'}


class HttpError(Exception):
    pass


def parse_faults(text):
    mix = {}
    if not text:
        return mix
    for part in text.split(','):
        part = part.strip()
        if not part:
            continue
        name, sep, value = part.partition('=')
        if not sep or name not in KINDS:
            raise ValueError(f'--faults: “{part}” is not KIND=PERCENT with KIND one of '
                             + ', '.join(KINDS))
        try:
            pct = float(value)
        except ValueError:
            raise ValueError(f'--faults: “{value}” in “{part}” is not a number') from None
        if pct < 0 or pct > 100:
            raise ValueError(f'--faults: “{part}”: the percentage must be from 0 to 100')
        mix[name] = pct
    if sum(mix.values()) > 100:
        raise ValueError('--faults: the percentages add up to more than 100')
    return mix


async def read_head(reader):
    """Reads a start line and headers; None at a clean end of the stream."""
    try:
        head = await reader.readuntil(b'\r\n\r\n')
    except asyncio.IncompleteReadError as e:
        if not e.partial.strip():
            return None
        raise HttpError('connection closed inside a header') from None
    except asyncio.LimitOverrunError:
        raise HttpError('header too long') from None
    lines = head.decode('latin-1').split('\r\n')[:-2]
    start = lines[0]
    headers = []
    for line in lines[1:]:
        name, sep, value = line.partition(':')
        if not sep:
            raise HttpError(f'bad header line {line!r}')
        headers.append((name.strip(), value.strip()))
    return start, headers


def header(headers, name, default=None):
    name = name.lower()
    for k, v in headers:
        if k.lower() == name:
            return v
    return default


async def read_body(reader, headers, until_close=False):
    te = header(headers, 'transfer-encoding', '')
    if 'chunked' in te.lower():
        body = bytearray()
        while True:
            line = await reader.readuntil(b'\r\n')
            size = int(line.split(b';')[0].strip(), 16)
            if size == 0:
                # trailers until an empty line
                while (await reader.readuntil(b'\r\n')) != b'\r\n':
                    pass
                return bytes(body)
            body += await reader.readexactly(size)
            await reader.readexactly(2)
    length = header(headers, 'content-length')
    if length is not None:
        return await reader.readexactly(int(length))
    if until_close:
        return await reader.read()
    return b''


def reset_writer(writer):
    """Closes with SO_LINGER 0, so the peer sees a TCP RST."""
    sock = writer.get_extra_info('socket')
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        except OSError:
            pass
    writer.transport.abort()


def corrupt_json(rng, body):
    """Turns a body into something that is certainly not valid JSON."""
    if not body:
        return b'{"rows": ['
    how = rng.randrange(3)
    if how == 0:    # cut in the middle and append garbage
        cut = rng.randrange(max(1, len(body)))
        return body[:cut] + b'\x00}{'
    if how == 1:    # an unbalanced opening somewhere
        pos = rng.randrange(len(body) + 1)
        return body[:pos] + b'{"' + body[pos:]
    return b'<html>Bad Gateway</html>' + body[: rng.randrange(len(body) + 1)]


def wrong_types(value):
    """The same JSON shape with every scalar replaced by one of another type."""
    if isinstance(value, dict):
        return {k: wrong_types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [wrong_types(v) for v in value]
    if isinstance(value, bool):
        return 'yes' if value else 'no'
    if isinstance(value, (int, float)):
        return [str(value)]
    if isinstance(value, str):
        return {'value': 12345}
    return True  # null


class Proxy:
    def __init__(self, args):
        self.upstream_host, self.upstream_port = args.upstream
        self.seed = args.seed
        self.rng = random.Random(args.seed)
        self.mix = args.faults
        self.clean = args.clean
        self.max_delay = args.max_delay_ms / 1000.0
        self.huge_bytes = args.huge_mib * 1024 * 1024
        self.script = []
        self.log = []
        self.counter = 0
        self.forwarded = 0

    def choose(self, path):
        """One decision per request, in arrival order: a scripted action
        first, else one draw from the seeded generator."""
        if self.clean:
            return 'pass', None
        for entry in self.script:
            if entry['count'] > 0 and path.startswith(entry['path']):
                entry['count'] -= 1
                self.script = [e for e in self.script if e['count'] > 0]
                return entry['action'], 0.5
        # Always draw the same number of values per request, so that a seed
        # gives the same sequence whatever the mix.
        draw = self.rng.random() * 100
        sub = self.rng.random()
        acc = 0.0
        for kind in KINDS:
            acc += self.mix.get(kind, 0)
            if draw < acc:
                return kind, sub
        return 'pass', sub

    def record(self, n, method, path, action, note=''):
        entry = {'n': n, 'method': method, 'path': path, 'action': action}
        if note:
            entry['note'] = note
        self.log.append(entry)
        print(f'#{n} {method} {path} -> {action}' + (f' ({note})' if note else ''), flush=True)

    async def handle_client(self, reader, writer):
        upstream = None
        try:
            while True:
                try:
                    req = await read_head(reader)
                    if req is None:
                        return
                    start, headers = req
                    body = await read_body(reader, headers)
                except (HttpError, asyncio.IncompleteReadError, ValueError, ConnectionError):
                    return
                parts = start.split(' ')
                if len(parts) != 3:
                    return
                method, target, _version = parts
                path = target
                if path.startswith('http://') or path.startswith('https://'):
                    path = '/' + path.split('/', 3)[3] if path.count('/') >= 3 else '/'
                if path.startswith('/__proxy/'):
                    await self.control(method, path, body, writer)
                    continue
                self.counter += 1
                n = self.counter
                action, sub = self.choose(path)
                keep, upstream = await self.serve(n, method, path, headers, body, action, sub,
                                                  writer, upstream)
                if not keep:
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            if upstream is not None:
                upstream[1].close()
            if not writer.transport.is_closing():
                writer.close()

    async def send(self, writer, status, headers, body, close=False):
        lines = [f'HTTP/1.1 {status} {REASONS.get(status, "Status")}']
        for k, v in headers:
            if k.lower() not in HOP_HEADERS:
                lines.append(f'{k}: {v}')
        lines.append(f'Content-Length: {len(body)}')
        if close:
            lines.append('Connection: close')
        writer.write(('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1') + body)
        await writer.drain()

    async def send_error(self, writer, status, code, message, retry_after=None):
        headers = [('Content-Type', 'application/json')]
        if retry_after is not None:
            headers.append(('Retry-After', str(retry_after)))
        body = json.dumps({'error': {'code': code, 'message': message}}).encode()
        await self.send(writer, status, headers, body)

    async def forward(self, method, path, headers, body, upstream):
        """Sends one request upstream (reusing the connection when it is
        still open) and reads the whole reply."""
        for attempt in range(2):
            fresh = upstream is None
            if fresh:
                upstream = await asyncio.open_connection(self.upstream_host, self.upstream_port,
                                                         limit=MAX_HEADER)
            ureader, uwriter = upstream
            lines = [f'{method} {path} HTTP/1.1']
            for k, v in headers:
                if k.lower() not in HOP_HEADERS:
                    lines.append(f'{k}: {v}')
            if body or method in ('POST', 'PUT', 'PATCH'):
                lines.append(f'Content-Length: {len(body)}')
            try:
                uwriter.write(('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1') + body)
                await uwriter.drain()
                head = await read_head(ureader)
                if head is None:
                    raise ConnectionError('upstream closed')
            except (ConnectionError, HttpError, asyncio.IncompleteReadError):
                uwriter.close()
                upstream = None
                if fresh or attempt == 1:
                    raise
                continue  # a kept-alive connection the server had closed: once more
            start, rheaders = head
            status = int(start.split(' ')[1])
            if method == 'HEAD' or status in (204, 304) or 100 <= status < 200:
                rbody = b''
            else:
                rbody = await read_body(ureader, rheaders, until_close=True)
            conn = (header(rheaders, 'connection') or '').lower()
            if conn == 'close' or (header(rheaders, 'content-length') is None
                                   and 'chunked' not in (header(rheaders, 'transfer-encoding')
                                                         or '').lower()
                                   and rbody):
                uwriter.close()
                upstream = None
            self.forwarded += 1
            return status, rheaders, rbody, upstream
        raise ConnectionError('unreachable')

    async def serve(self, n, method, path, headers, body, action, sub, writer, upstream):
        """Handles one request; returns (keep the client connection, upstream)."""
        client_close = (header(headers, 'connection') or '').lower() == 'close'
        if action == 'drop_request':
            self.record(n, method, path, action)
            writer.close()
            return False, upstream
        if action == 'reset':
            self.record(n, method, path, action)
            reset_writer(writer)
            return False, upstream
        if action == 'error':
            status = (500, 502, 503)[int(sub * 3) % 3]
            self.record(n, method, path, action, f'answered {status}')
            await self.send_error(writer, status, 'internal' if status != 503 else 'unavailable',
                                  'fault-proxy: injected server error',
                                  retry_after=1 if status == 503 else None)
            return not client_close, upstream
        if action == 'rate':
            self.record(n, method, path, action, 'answered 429')
            await self.send_error(writer, 429, 'rate_limited', 'fault-proxy: injected rate limit',
                                  retry_after=int(sub * 2))
            return not client_close, upstream
        if action == 'delay':
            await asyncio.sleep(sub * self.max_delay)
        if action == 'huge':
            return await self.send_huge(n, method, path, writer), upstream

        try:
            if action == 'duplicate':
                # the same bytes twice at once, on two fresh connections
                if upstream is not None:
                    upstream[1].close()
                    upstream = None
                both = await asyncio.gather(
                    self.forward(method, path, headers, body, None),
                    self.forward(method, path, headers, body, None), return_exceptions=True)
                for r in both:
                    if isinstance(r, BaseException):
                        raise r
                    if r[3] is not None:
                        r[3][1].close()
                status, rheaders, rbody, _ = both[int(sub * 2) % 2]
            else:
                status, rheaders, rbody, upstream = await self.forward(method, path, headers,
                                                                       body, upstream)
        except (OSError, HttpError, asyncio.IncompleteReadError, ValueError) as e:
            self.record(n, method, path, action, f'upstream failed: {e}')
            await self.send_error(writer, 502, 'internal', f'fault-proxy: upstream failed: {e}')
            return not client_close, None
        note = f'upstream {status}'

        if action == 'drop_reply':
            self.record(n, method, path, action, note)
            writer.close()
            return False, upstream
        if action == 'reset_reply':
            self.record(n, method, path, action, note)
            reset_writer(writer)
            return False, upstream
        if action == 'error_reply':
            self.record(n, method, path, action, note + ', answered 502')
            await self.send_error(writer, 502, 'internal', 'fault-proxy: reply lost')
            return not client_close, upstream
        if action == 'truncate':
            self.record(n, method, path, action, note)
            lines = [f'HTTP/1.1 {status} {REASONS.get(status, "Status")}']
            lines += [f'{k}: {v}' for k, v in rheaders if k.lower() not in HOP_HEADERS]
            # Announce a body longer than what follows, then close: the
            # client must notice the short read even for an empty body.
            lines.append(f'Content-Length: {len(rbody) + 16}')
            keep = int(sub * len(rbody)) if rbody else 0
            writer.write(('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1') + rbody[:keep])
            await writer.drain()
            writer.close()
            return False, upstream
        if action == 'corrupt' or action == 'bad_json':
            rbody = corrupt_json(self.rng if action == 'corrupt' else random.Random(n), rbody)
        elif action == 'wrong_types':
            try:
                rbody = json.dumps(wrong_types(json.loads(rbody))).encode()
            except ValueError:
                rbody = b'[]'
        self.record(n, method, path, action, note)
        await self.send(writer, status, rheaders, rbody, close=client_close)
        return not client_close, upstream

    async def send_huge(self, n, method, path, writer):
        """A 200 answer whose JSON body is --huge-mib MiB long, streamed."""
        self.record(n, method, path, 'huge', f'{self.huge_bytes} bytes')
        opening = b'{"rows": [], "padding": "'
        closing = b'", "cursor": null, "has_more": false, "last_mutation_id": 0, "reset": false}'
        pad = self.huge_bytes - len(opening) - len(closing)
        head = ('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n'
                f'Content-Length: {len(opening) + pad + len(closing)}\r\n\r\n')
        try:
            writer.write(head.encode() + opening)
            chunk = b'x' * 65536
            while pad > 0:
                writer.write(chunk[:pad])
                pad -= min(pad, len(chunk))
                await writer.drain()
            writer.write(closing)
            await writer.drain()
        except ConnectionError:
            return False
        return True

    async def control(self, method, path, body, writer):
        if path == '/__proxy/clean' and method == 'POST':
            self.clean = True
            self.script = []
            print('fault-proxy: clean mode', flush=True)
            await self.send(writer, 204, [], b'')
        elif path == '/__proxy/faults' and method == 'POST':
            self.clean = False
            print('fault-proxy: faults on', flush=True)
            await self.send(writer, 204, [], b'')
        elif path == '/__proxy/script' and method == 'POST':
            try:
                entries = json.loads(body)
                script = []
                for e in entries:
                    if e['action'] not in KINDS + SCRIPT_ONLY:
                        raise ValueError(f'unknown action {e["action"]!r}')
                    script.append({'path': str(e.get('path', '/')), 'action': e['action'],
                                   'count': int(e.get('count', 1))})
            except (ValueError, KeyError, TypeError) as e:
                await self.send_error(writer, 400, 'bad_request', f'fault-proxy: script: {e}')
                return
            self.script.extend(script)
            await self.send(writer, 204, [], b'')
        elif path == '/__proxy/log' and method == 'GET':
            await self.send(writer, 200, [('Content-Type', 'application/json')],
                            json.dumps(self.log).encode())
        elif path == '/__proxy/stats' and method == 'GET':
            actions = {}
            for e in self.log:
                actions[e['action']] = actions.get(e['action'], 0) + 1
            stats = {'seed': self.seed, 'requests': self.counter, 'forwarded': self.forwarded,
                     'actions': actions, 'clean': self.clean}
            await self.send(writer, 200, [('Content-Type', 'application/json')],
                            json.dumps(stats).encode())
        else:
            await self.send_error(writer, 404, 'not_found', f'fault-proxy: no control {path}')


def host_port(text):
    host, sep, port = text.rpartition(':')
    if not sep or not port.isdigit():
        raise argparse.ArgumentTypeError(f'“{text}” is not HOST:PORT')
    return host or '127.0.0.1', int(port)


async def main_async(args):
    proxy = Proxy(args)
    server = await asyncio.start_server(proxy.handle_client, args.listen[0], args.listen[1],
                                        limit=MAX_HEADER)
    host, port = server.sockets[0].getsockname()[:2]
    loop = asyncio.get_running_loop()

    def set_clean(value):
        proxy.clean = value
        if value:
            proxy.script = []
        print('fault-proxy: clean mode' if value else 'fault-proxy: faults on', flush=True)

    loop.add_signal_handler(signal.SIGUSR1, set_clean, True)
    loop.add_signal_handler(signal.SIGUSR2, set_clean, False)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    print(f'fault-proxy: listening on {host}:{port} seed {args.seed}', flush=True)
    async with server:
        await stop.wait()


def main():
    parser = argparse.ArgumentParser(description='seeded fault-injecting HTTP proxy')
    parser.add_argument('--upstream', type=host_port, required=True)
    parser.add_argument('--listen', type=host_port, default=('127.0.0.1', 0))
    parser.add_argument('--seed', type=int, default=None)
    parser.add_argument('--faults', default=DEFAULT_FAULTS)
    parser.add_argument('--clean', action='store_true', help='start without faults')
    parser.add_argument('--max-delay-ms', type=int, default=300)
    parser.add_argument('--huge-mib', type=int, default=65,
                        help='size of a "huge" reply; clients refuse replies over 64 MiB')
    args = parser.parse_args()
    try:
        args.faults = parse_faults(args.faults)
    except ValueError as e:
        parser.error(str(e))
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(2**32)
    try:
        asyncio.run(main_async(args))
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    sys.exit(main())
