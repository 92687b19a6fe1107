#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Tests of fault-proxy.py itself: the real proxy process in front of a tiny
# real HTTP server on loopback (python's http.server in a thread), driven by
# http.client. The tiny server counts what reached it, so each test can tell
# a request the proxy dropped before forwarding from one whose reply it
# dropped after the server had handled it.
#
#   test-fault-proxy.py [unittest arguments]

import http.client
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PROXY = os.path.join(HERE, 'fault-proxy.py')


class Upstream(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(('127.0.0.1', 0), UpstreamHandler)
        self.handled = []
        self.lock = threading.Lock()


class UpstreamHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def reply(self, status, obj, chunked=False):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        if chunked:
            self.send_header('Transfer-Encoding', 'chunked')
            self.end_headers()
            for i in range(0, len(body), 7):
                piece = body[i:i + 7]
                self.wfile.write(b'%x\r\n%s\r\n' % (len(piece), piece))
            self.wfile.write(b'0\r\n\r\n')
        else:
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def do_GET(self):
        with self.server.lock:
            self.server.handled.append(('GET', self.path, b''))
            n = len(self.server.handled)
        if self.path == '/empty':
            self.send_response(204)
            self.end_headers()
            return
        self.reply(200, {'n': n, 'path': self.path, 'ok': True, 'list': [1, 'a', None]},
                   chunked=self.path == '/chunked')

    def do_POST(self):
        length = int(self.headers.get('Content-Length', 0))
        body = self.rfile.read(length)
        with self.server.lock:
            self.server.handled.append(('POST', self.path, body))
            n = len(self.server.handled)
        self.reply(200, {'n': n, 'echo': body.decode(), 'committed': True})


class ProxyTestCase(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.upstream = Upstream()
        self.thread = threading.Thread(target=self.upstream.serve_forever, daemon=True)
        self.thread.start()
        self.proxies = []

    def tearDown(self):
        for p in self.proxies:
            p.terminate()
            p.wait(timeout=10)
            p.stdout.close()
        self.upstream.shutdown()
        self.upstream.server_close()

    def start_proxy(self, *args):
        up = '127.0.0.1:%d' % self.upstream.server_address[1]
        p = subprocess.Popen([sys.executable, PROXY, '--upstream', up, *args],
                             stdout=subprocess.PIPE, text=True)
        self.proxies.append(p)
        first = p.stdout.readline().split()
        # "fault-proxy: listening on HOST:PORT seed N"
        self.assertEqual(first[:3], ['fault-proxy:', 'listening', 'on'])
        self.assertEqual(first[4], 'seed')
        self.port = int(first[3].rsplit(':', 1)[1])
        self.seed = int(first[5])
        self.proxy = p
        return p

    def wait_line(self, text):
        """Reads the proxy's log up to the line TEXT (it must come)."""
        for line in self.proxy.stdout:
            if line.strip() == text:
                return
        self.fail(f'the proxy ended without printing {text!r}')

    def conn(self):
        return http.client.HTTPConnection('127.0.0.1', self.port, timeout=30)

    def request(self, method, path, body=None, conn=None):
        c = conn or self.conn()
        c.request(method, path, body=body,
                  headers={'Content-Type': 'application/json'} if body is not None else {})
        r = c.getresponse()
        data = r.read()
        if conn is None:
            c.close()
        return r, data

    def control(self, method, path, body=None):
        return self.request(method, '/__proxy/' + path, body)

    def log(self):
        r, data = self.control('GET', 'log')
        self.assertEqual(r.status, 200)
        return json.loads(data)

    def handled(self):
        with self.upstream.lock:
            return list(self.upstream.handled)


class TestForwarding(ProxyTestCase):
    def test_clean_forwards_everything(self):
        self.start_proxy('--clean', '--seed', '7')
        self.assertEqual(self.seed, 7)
        c = self.conn()
        # several requests on one kept-alive connection
        for i in range(5):
            r, data = self.request('POST', '/api/v1/sync/push', b'{"i": %d}' % i, conn=c)
            self.assertEqual(r.status, 200)
            self.assertEqual(json.loads(data)['echo'], '{"i": %d}' % i)
        r, data = self.request('GET', '/chunked', conn=c)
        self.assertEqual(r.status, 200)
        self.assertEqual(json.loads(data)['path'], '/chunked')
        r, data = self.request('GET', '/empty', conn=c)
        self.assertEqual((r.status, data), (204, b''))
        c.close()
        self.assertEqual(len(self.handled()), 7)
        self.assertEqual([e['action'] for e in self.log()], ['pass'] * 7)

    def test_seed_chosen_when_missing_is_printed(self):
        self.start_proxy()
        self.assertGreaterEqual(self.seed, 0)

    def test_bad_fault_mix_is_refused(self):
        for mix, word in (('drop=5', 'drop'), ('delay=x', '“x”'), ('error=101', '0 to 100'),
                          ('error=60,rate=60', 'more than 100')):
            p = subprocess.run([sys.executable, PROXY, '--upstream', '127.0.0.1:1',
                                '--faults', mix], capture_output=True, text=True, timeout=30)
            self.assertEqual(p.returncode, 2, mix)
            self.assertIn(word, p.stderr, mix)


class TestFaults(ProxyTestCase):
    def only(self, kind):
        self.start_proxy('--seed', '1', '--faults', f'{kind}=100', '--max-delay-ms', '50')

    def post(self):
        return self.request('POST', '/api/v1/sync/push', b'{"m": 1}')

    def test_drop_request_never_reaches_the_server(self):
        self.only('drop_request')
        with self.assertRaises(http.client.RemoteDisconnected):
            self.post()
        self.assertEqual(self.handled(), [])
        self.assertEqual([e['action'] for e in self.log()], ['drop_request'])

    def test_drop_reply_reaches_the_server_but_not_the_client(self):
        self.only('drop_reply')
        with self.assertRaises(http.client.RemoteDisconnected):
            self.post()
        self.assertEqual(self.handled(), [('POST', '/api/v1/sync/push', b'{"m": 1}')])

    def test_reset_before_forwarding(self):
        self.only('reset')
        with self.assertRaises(ConnectionResetError):
            self.post()
        self.assertEqual(self.handled(), [])

    def test_reset_after_forwarding(self):
        self.only('reset_reply')
        with self.assertRaises(ConnectionResetError):
            self.post()
        self.assertEqual(len(self.handled()), 1)

    def test_truncate_sends_a_short_body(self):
        self.only('truncate')
        c = self.conn()
        c.request('POST', '/x', body=b'{}')
        r = c.getresponse()
        self.assertEqual(r.status, 200)
        with self.assertRaises(http.client.IncompleteRead):
            r.read()
        c.close()
        self.assertEqual(len(self.handled()), 1)

    def test_corrupt_body_is_not_json(self):
        self.only('corrupt')
        for _ in range(6):
            r, data = self.post()
            self.assertEqual(r.status, 200)
            with self.assertRaises(ValueError):
                json.loads(data)
        self.assertEqual(len(self.handled()), 6)

    def test_error_is_answered_by_the_proxy(self):
        self.only('error')
        statuses = set()
        for _ in range(12):
            r, data = self.post()
            self.assertIn(r.status, (500, 502, 503))
            self.assertIn(json.loads(data)['error']['code'], ('internal', 'unavailable'))
            if r.status == 503:
                self.assertEqual(r.getheader('Retry-After'), '1')
            statuses.add(r.status)
        self.assertEqual(statuses, {500, 502, 503})
        self.assertEqual(self.handled(), [])

    def test_error_after_commit(self):
        self.only('error_reply')
        r, data = self.post()
        self.assertEqual(r.status, 502)
        self.assertEqual(len(self.handled()), 1)

    def test_rate_limit_has_retry_after(self):
        self.only('rate')
        r, data = self.post()
        self.assertEqual(r.status, 429)
        self.assertIn(r.getheader('Retry-After'), ('0', '1'))
        self.assertEqual(json.loads(data)['error']['code'], 'rate_limited')
        self.assertEqual(self.handled(), [])

    def test_duplicate_reaches_the_server_twice(self):
        self.only('duplicate')
        r, data = self.post()
        self.assertEqual(r.status, 200)
        self.assertEqual(json.loads(data)['echo'], '{"m": 1}')
        self.assertEqual(self.handled(), [('POST', '/api/v1/sync/push', b'{"m": 1}')] * 2)

    def test_delay_still_delivers(self):
        self.only('delay')
        r, data = self.post()
        self.assertEqual(r.status, 200)
        self.assertEqual(json.loads(data)['echo'], '{"m": 1}')
        self.assertEqual([e['action'] for e in self.log()], ['delay'])


class TestSeedsAndModes(ProxyTestCase):
    MIX = 'drop_request=10,drop_reply=10,error=10,rate=10,corrupt=10,delay=10'

    def actions(self, seed, n=40):
        self.start_proxy('--seed', str(seed), '--faults', self.MIX, '--max-delay-ms', '1')
        for _ in range(n):
            try:
                self.request('GET', '/a')
            except (http.client.HTTPException, ConnectionError):
                pass
        acts = [e['action'] for e in self.log()]
        self.proxy.terminate()
        self.proxy.wait()
        return acts

    def test_same_seed_same_faults(self):
        a = self.actions(42)
        b = self.actions(42)
        c = self.actions(43)
        self.assertEqual(a, b)
        self.assertNotEqual(a, c)
        # the mix really is mixed
        self.assertGreater(len(set(a)), 4)

    def test_clean_mode_by_control_and_by_signal(self):
        self.start_proxy('--seed', '3', '--faults', 'error=100')
        self.assertIn(self.post_status(), (500, 502, 503))
        r, _ = self.control('POST', 'clean')
        self.assertEqual(r.status, 204)
        self.assertEqual(self.post_status(), 200)
        r, _ = self.control('POST', 'faults')
        self.assertIn(self.post_status(), (500, 502, 503))
        self.proxy.send_signal(signal.SIGUSR1)
        self.wait_line('fault-proxy: clean mode')
        self.assertEqual(self.post_status(), 200)
        self.proxy.send_signal(signal.SIGUSR2)
        self.wait_line('fault-proxy: faults on')
        self.assertIn(self.post_status(), (500, 502, 503))
        r, data = self.control('GET', 'stats')
        stats = json.loads(data)
        self.assertEqual(stats['seed'], 3)
        self.assertEqual(stats['requests'], 5)
        self.assertEqual(stats['forwarded'], 2)
        self.assertEqual(stats['actions'], {'error': 3, 'pass': 2})

    def post_status(self):
        return self.request('POST', '/p', b'{}')[0].status


class TestScript(ProxyTestCase):
    def script(self, entries):
        r, data = self.control('POST', 'script', json.dumps(entries).encode())
        return r.status, data

    def test_scripted_replies(self):
        # an empty mix: only the scripted faults
        self.start_proxy('--faults', '', '--huge-mib', '1')
        status, _ = self.script([{'path': '/api/v1/sync/pull', 'action': 'bad_json'},
                                 {'path': '/api/v1/sync/pull', 'action': 'wrong_types'},
                                 {'path': '/api/v1/sync/pull', 'action': 'huge'},
                                 {'path': '/api/v1/sync/push', 'action': 'drop_reply',
                                  'count': 2}])
        self.assertEqual(status, 204)
        # another path is not affected
        r, data = self.request('GET', '/api/v1/info')
        self.assertEqual(json.loads(data)['path'], '/api/v1/info')
        r, data = self.request('POST', '/api/v1/sync/pull', b'{}')
        with self.assertRaises(ValueError):
            json.loads(data)
        r, data = self.request('POST', '/api/v1/sync/pull', b'{}')
        self.assertEqual(json.loads(data), {'n': ['%d' % len(self.handled())],
                                            'echo': {'value': 12345}, 'committed': 'yes'})
        before = len(self.handled())
        r, data = self.request('POST', '/api/v1/sync/pull', b'{}')
        self.assertEqual(r.status, 200)
        self.assertEqual(len(data), 1024 * 1024)
        self.assertEqual(json.loads(data)['rows'], [])
        self.assertEqual(len(self.handled()), before)   # answered by the proxy
        for _ in range(2):
            with self.assertRaises(http.client.RemoteDisconnected):
                self.request('POST', '/api/v1/sync/push', b'{}')
        r, data = self.request('POST', '/api/v1/sync/push', b'{}')
        self.assertEqual(r.status, 200)
        # the pulls got their scripted actions in order, the rest passed
        self.assertEqual([e['action'] for e in self.log()],
                         ['pass', 'bad_json', 'wrong_types', 'huge', 'drop_reply', 'drop_reply',
                          'pass'])

    def test_scripted_proxy_answers(self):
        self.start_proxy('--faults', '')
        self.script([{'path': '/p', 'action': 'error'}, {'path': '/p', 'action': 'rate'},
                     {'path': '/p', 'action': 'truncate'}])
        self.assertEqual(self.request('POST', '/p', b'{}')[0].status, 502)
        r, _ = self.request('POST', '/p', b'{}')
        self.assertEqual((r.status, r.getheader('Retry-After')), (429, '1'))
        with self.assertRaises(http.client.IncompleteRead):
            self.request('POST', '/p', b'{}')
        self.assertEqual(self.request('POST', '/p', b'{}')[0].status, 200)

    def test_bad_script_is_refused(self):
        self.start_proxy('--faults', '')
        status, data = self.script([{'path': '/', 'action': 'explode'}])
        self.assertEqual(status, 400)
        self.assertIn('explode', json.loads(data)['error']['message'])
        status, data = self.script({'not': 'a list'})
        self.assertEqual(status, 400)


if __name__ == '__main__':
    unittest.main()
