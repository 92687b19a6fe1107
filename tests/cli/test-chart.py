#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Tests of `leadsctl chart`: the real binary on a real SQLite file, with
# no display. Reuses the harness of test-cli.py (run, ok, fails: exit
# status, one-line message naming the field, database unchanged).
#
#   test-chart.py PATH/TO/leadsctl [unittest arguments]

import importlib.util
import os
import re
import struct
import sys
import unittest

_spec = importlib.util.spec_from_file_location(
    'leads_test_cli', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'test-cli.py'))
cli = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cli)

PNG_MAGIC = b'\x89PNG\r\n\x1a\n'


def png_size(data):
    """Width and height from the IHDR chunk, which must come first."""
    assert data[:8] == PNG_MAGIC, data[:8]
    length, kind = struct.unpack('>I4s', data[8:16])
    assert kind == b'IHDR' and length == 13, (length, kind)
    return struct.unpack('>II', data[16:24])


def svg_size(data):
    text = data.decode('utf-8')
    assert text.startswith('<?xml'), text[:40]
    match = re.search(r'<svg[^>]*\swidth="([\d.]+)(?:pt)?"[^>]*\sheight="([\d.]+)(?:pt)?"', text)
    assert match, text[:300]
    return float(match.group(1)), float(match.group(2))


def pdf_size(data):
    assert data.startswith(b'%PDF-'), data[:8]
    assert data.rstrip().endswith(b'%%EOF'), data[-16:]
    match = re.search(rb'/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]', data)
    assert match, 'no MediaBox'
    return float(match.group(1)), float(match.group(2))


class TestChart(cli.CliTestCase):
    def setUp(self):
        super().setUp()
        self.ok('generate', '--sample')
        # no display at all: the charts must not need one
        for name in ('DISPLAY', 'WAYLAND_DISPLAY'):
            self.env.pop(name, None)

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def chart(self, *args):
        """Runs a chart command that must succeed silently; returns the file's bytes."""
        out = self.ok('chart', *args)
        self.assertEqual(out, '')
        output = args[args.index('--output') + 1]
        with open(output, 'rb') as f:
            return f.read()

    # -- files, formats and sizes -----------------------------------------

    def test_png(self):
        for kind in ('funnel', 'forecast'):
            data = self.chart(kind, '--output', self.path(f'{kind}.png'))
            self.assertEqual(png_size(data), (800, 500))
            data = self.chart(kind, '--output', self.path(f'{kind}-small.png'), '--width', '320', '--height', '64')
            self.assertEqual(png_size(data), (320, 64))
            # a drawing, not an empty image
            self.assertGreater(len(data), 1000)

    def test_svg_and_pdf(self):
        svg = self.chart('forecast', '--output', self.path('forecast.svg'), '--width', '1024', '--height', '600')
        self.assertEqual(svg_size(svg), (1024, 600))
        self.assertIn(b'<path', svg)
        pdf = self.chart('funnel', '--output', self.path('funnel.PDF'), '--width', '595', '--height', '842')
        self.assertEqual(pdf_size(pdf), (595, 842))

    def test_largest_and_smallest_size(self):
        self.assertEqual(png_size(self.chart('funnel', '--output', self.path('a.png'),
                                             '--width', '64', '--height', '64')), (64, 64))
        self.assertEqual(svg_size(self.chart('funnel', '--output', self.path('b.svg'),
                                             '--width', '8000', '--height', '8000')), (8000, 8000))

    def test_replaces_an_existing_file(self):
        path = self.path('chart.png')
        with open(path, 'wb') as f:
            f.write(b'old contents')
        self.assertEqual(png_size(self.chart('funnel', '--output', path)), (800, 500))

    # -- what is drawn ----------------------------------------------------

    def test_filters_and_range_change_the_picture(self):
        everything = self.chart('funnel', '--output', self.path('all.svg'))
        owner = self.json('lead', 'list', '--format', 'json')['leads'][0]['owner']
        one_owner = self.chart('funnel', '--output', self.path('owner.svg'), '--owner', owner)
        nobody = self.chart('funnel', '--output', self.path('nobody.svg'), '--owner', 'Nobody at all')
        self.assertNotEqual(everything, one_owner)
        # no open leads: the empty state, still a valid picture
        self.assertIn(b'<svg', nobody)
        self.assertLess(len(nobody), len(everything))

        a = self.chart('forecast', '--output', self.path('a.svg'), '--from', '2026-01', '--to', '2026-12')
        b = self.chart('forecast', '--output', self.path('b.svg'), '--from', '2026-01', '--to', '2028-12')
        self.assertNotEqual(a, b)
        # 100 years of months at most, and it draws them
        self.chart('forecast', '--output', self.path('c.png'), '--from', '2000-01', '--to', '2099-12')

    def test_default_range_is_twelve_months_from_now(self):
        default = self.chart('forecast', '--output', self.path('default.svg'))
        import datetime
        today = datetime.date.today()
        first = f'{today.year:04d}-{today.month:02d}'
        end_month = today.month + 11
        last = f'{today.year + (end_month - 1) // 12:04d}-{(end_month - 1) % 12 + 1:02d}'
        explicit = self.chart('forecast', '--output', self.path('explicit.svg'), '--from', first, '--to', last)
        self.assertEqual(default, explicit)

    # -- refusals ---------------------------------------------------------

    def assert_nothing_written(self):
        self.assertEqual(sorted(n for n in os.listdir(self.tmp.name) if not n.startswith('leads.db')
                                and n not in ('data',)), [])

    def test_bad_extension(self):
        message = self.fails('chart', 'funnel', '--output', self.path('chart.bmp'), field='output')
        self.assertIn('chart.bmp', message)
        self.assertIn('.png, .svg or .pdf', message)
        self.fails('chart', 'forecast', '--output', self.path('chart'), field='output')
        self.assert_nothing_written()

    def test_bad_size(self):
        message = self.fails('chart', 'funnel', '--output', self.path('c.png'), '--width', '10', field='width')
        self.assertIn('10', message)
        self.assertIn('64 to 8000', message)
        self.fails('chart', 'funnel', '--output', self.path('c.png'), '--height', '8001', field='height')
        self.fails('chart', 'funnel', '--output', self.path('c.png'), '--width', '-5', field='width')
        proc = self.run_cli('chart', 'funnel', '--output', self.path('c.png'), '--width', 'wide')
        self.assertEqual(proc.returncode, 2)
        self.assertIn('--width', proc.stderr.decode('utf-8'))
        self.assert_nothing_written()

    def test_unwritable_path(self):
        missing = os.path.join(self.tmp.name, 'no', 'such', 'folder', 'chart.png')
        message = self.fails('chart', 'funnel', '--output', missing, code=1, field='output')
        self.assertIn(missing, message)
        self.assertFalse(os.path.exists(os.path.dirname(missing)))

    def test_bad_command_line(self):
        self.assertIn('funnel or forecast', self.fails('chart', field='chart'))
        self.assertIn('pie', self.fails('chart', 'pie', '--output', self.path('c.png'), field='chart'))
        self.fails('chart', 'funnel', field='output')
        self.fails('chart', 'funnel', 'extra', '--output', self.path('c.png'), field='chart')
        self.fails('chart', 'forecast', '--output', self.path('c.png'), '--from', '2027-05', '--to', '2027-01',
                   field='to')
        message = self.fails('chart', 'forecast', '--output', self.path('c.png'),
                             '--from', '2000-01', '--to', '2100-01', field='to')
        self.assertIn('1201', message)
        self.fails('chart', 'forecast', '--output', self.path('c.png'), '--from', '2027-13', field='from')
        self.fails('chart', 'funnel', '--output', self.path('c.png'), '--phase', 'no-such-phase', field='phase')
        self.assert_nothing_written()


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit('usage: test-chart.py PATH/TO/leadsctl [unittest arguments]')
    cli.LEADSCTL = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
