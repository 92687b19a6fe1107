#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Tests of leadsctl: the real binary against real SQLite files in a
# temporary folder, no mocks.
#
#   test-cli.py PATH/TO/leadsctl [unittest arguments, e.g. a TestCase name]
#
# Every failing command is checked for its exit status (2: wrong command
# line or value, 1: other failures), for exactly one line on stderr of the
# form "leadsctl: <field>: <reason>", and for leaving the database exactly
# as it was (every row of every table, compared through python's sqlite3).

import csv
import fractions
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest

LEADSCTL = None

LEAD_KEYS = [
    'id', 'uuid', 'title', 'contact', 'contact_id', 'volume_minor', 'currency',
    'probability', 'weighted_minor', 'status', 'status_class', 'phase', 'type',
    'unit', 'owner', 'close_month', 'source', 'description', 'lost_reason',
    'next_follow_up', 'created_at', 'updated_at',
]
CHANGE_KEYS = ['at', 'author', 'kind', 'field', 'old', 'new']
REPORT_KEYS = ['at', 'author', 'kind', 'report_kind', 'subject', 'text', 'probability', 'phase']
CONTACT_KEYS = [
    'id', 'uuid', 'kind', 'name', 'company', 'company_id', 'emails', 'phones',
    'addresses', 'notes', 'n_leads', 'last_activity',
]
KEY_VALUE_KEYS = ['id', 'kind', 'key', 'label', 'position', 'active', 'probability', 'status_class', 'uses']
SUM_KEYS = ['currency', 'count', 'absolute_minor', 'weighted_minor']
AUTHOR = 'Tess Tester'


def round_half_away(numerator, denominator=100):
    """Integer division rounding half away from zero (architecture.md)."""
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if numerator >= 0 else -q


class CliTestCase(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='leadsctl-test-')
        self.db = os.path.join(self.tmp.name, 'leads.db')
        self.env = dict(os.environ)
        self.env.update({
            'LC_ALL': 'C.UTF-8',
            'LANGUAGE': '',
            'TZ': 'UTC',
            'HOME': self.tmp.name,
            'XDG_DATA_HOME': os.path.join(self.tmp.name, 'data'),
        })

    def tearDown(self):
        self.tmp.cleanup()

    # -- running --------------------------------------------------------

    def run_cli(self, *args, db=True, author=True):
        argv = [LEADSCTL]
        if db:
            argv += ['--db', self.db]
        if author:
            argv += ['--author', AUTHOR]
        argv += [str(a) for a in args]
        return subprocess.run(argv, capture_output=True, env=self.env, timeout=300)

    def ok(self, *args, **kwargs):
        proc = self.run_cli(*args, **kwargs)
        stdout = proc.stdout.decode('utf-8')
        stderr = proc.stderr.decode('utf-8')
        self.assertEqual(proc.returncode, 0, f'leadsctl {args} failed: {stderr}')
        self.assertEqual(stderr, '', f'leadsctl {args} wrote to stderr')
        return stdout

    def ok_id(self, *args):
        out = self.ok(*args)
        self.assertRegex(out, r'^[1-9][0-9]*\n$')
        return int(out)

    def json(self, *args):
        return json.loads(self.ok(*args))

    def fails(self, *args, code=2, field=None, unchanged=True, **kwargs):
        """Runs a command that must fail; returns its one-line message."""
        before = self.snapshot() if unchanged and os.path.exists(self.db) else None
        proc = self.run_cli(*args, **kwargs)
        stderr = proc.stderr.decode('utf-8')
        self.assertEqual(proc.returncode, code, f'leadsctl {args}: {stderr!r}')
        self.assertEqual(proc.stdout, b'', f'leadsctl {args} wrote to stdout')
        self.assertTrue(stderr.startswith('leadsctl: '), stderr)
        self.assertTrue(stderr.endswith('\n'), stderr)
        self.assertEqual(stderr.count('\n'), 1, f'not one line: {stderr!r}')
        message = stderr[len('leadsctl: '):-1]
        if field is not None:
            self.assertTrue(message.startswith(field + ': '), f'{message!r} does not name {field}')
        if before is not None:
            self.assertEqual(self.snapshot(), before, f'leadsctl {args} changed the database')
        return message

    # -- the database, seen from outside ----------------------------------

    def snapshot(self):
        """Every row of every table, and the schema version."""
        con = sqlite3.connect(self.db)
        try:
            tables = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            snap = {t: con.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
            snap['user_version'] = con.execute('PRAGMA user_version').fetchone()
            return snap
        finally:
            con.close()

    def count(self, sql, *params):
        con = sqlite3.connect(self.db)
        try:
            return con.execute(sql, params).fetchone()[0]
        finally:
            con.close()

    # -- helpers --------------------------------------------------------

    def add_lead(self, title, *options):
        return self.ok_id('lead', 'add', '--title', title, *options)

    def show(self, lead_id):
        return self.json('lead', 'show', lead_id, '--format', 'json')

    def list_json(self, *options):
        return self.json('lead', 'list', '--format', 'json', *options)

    def key_values(self, kind=None):
        args = ['keys', 'list'] + ([kind] if kind else []) + ['--format', 'json']
        return self.json(*args)['keys']

    def assert_lead_shape(self, lead):
        self.assertEqual(list(lead.keys()), LEAD_KEYS)
        self.assertIsInstance(lead['id'], int)
        self.assertIsInstance(lead['volume_minor'], int)
        self.assertIsInstance(lead['probability'], int)
        self.assertIsInstance(lead['weighted_minor'], int)
        self.assertIn(lead['status_class'], ('open', 'won', 'lost'))
        self.assertRegex(lead['created_at'], r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')
        self.assertRegex(lead['updated_at'], r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')
        if lead['close_month'] is not None:
            self.assertRegex(lead['close_month'], r'^\d{4}-\d\d$')
        self.assertEqual(lead['contact'] is None, lead['contact_id'] is None)

    def assert_history_shape(self, history, with_lead=False):
        for entry in history:
            expected = list(REPORT_KEYS if entry['kind'] == 'report' else CHANGE_KEYS)
            if with_lead:
                expected[3:3] = ['lead_id', 'lead_title']
            self.assertEqual(list(entry.keys()), expected)
            self.assertRegex(entry['at'], r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')
        ats = [e['at'] for e in history]
        self.assertEqual(ats, sorted(ats, reverse=True), 'history is not newest first')


# --------------------------------------------------------------------------


class TestUsage(CliTestCase):
    def test_no_command(self):
        self.fails(db=False)
        self.fails('--db', self.db, db=False)

    def test_unknown_command(self):
        self.assertIn('frob', self.fails('frob'))
        self.assertIn('frob', self.fails('lead', 'frob'))
        self.fails('lead')
        self.fails('keys', 'frob')
        self.fails('contact')

    def test_unknown_option(self):
        self.fails('--frob', 'lead', 'list', db=False)
        self.fails('lead', 'list', '--frob')
        self.fails('lead', 'add', '--title', 'x', '--frob', 'y')

    def test_unexpected_argument(self):
        self.fails('lead', 'list', 'extra', field='lead list')
        self.fails('check', 'extra', field='check')

    def test_help_and_version(self):
        out = self.ok('--help', db=False, author=False)
        for command in ('lead', 'report', 'contact', 'keys', 'generate', 'check'):
            self.assertIn(command, out)
        self.assertIn('--db', out)
        self.assertEqual(self.ok('help', db=False, author=False), out)
        self.assertIn('--title', self.ok('lead', 'add', '--help', db=False, author=False))
        self.assertIn('duplicate', self.ok('lead', '--help', db=False, author=False))
        self.assertRegex(self.ok('--version', db=False, author=False), r'^leadsctl \d+\.\d+')
        self.assertFalse(os.path.exists(self.db), '--help opened the database')

    def test_default_database(self):
        self.ok('lead', 'add', '--title', 'Somewhere', db=False)
        default = os.path.join(self.tmp.name, 'data', 'leads', 'leads.db')
        self.assertTrue(os.path.exists(default))
        self.db = default
        self.assertEqual(self.count('SELECT count(*) FROM lead'), 1)

    def test_options_after_the_command(self):
        # --db and --author are accepted after the command as well
        proc = self.run_cli('lead', 'add', '--title', 'Late', '--db', self.db, '--author', 'Zed',
                            db=False, author=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.show(int(proc.stdout))['owner'], 'Zed')

    def test_bad_database(self):
        garbage = b'this is not a database, just some text' * 100
        with open(self.db, 'wb') as f:
            f.write(garbage)
        self.fails('check', code=1, unchanged=False)
        self.fails('lead', 'list', code=1, unchanged=False)
        with open(self.db, 'rb') as f:
            self.assertEqual(f.read(), garbage)
        folder = os.path.join(self.tmp.name, 'folder.db')
        os.mkdir(folder)
        self.fails('--db', folder, 'lead', 'list', code=1, db=False, unchanged=False)


class TestLeadAdd(CliTestCase):
    def test_minimal(self):
        lead_id = self.add_lead('Minimal')
        self.assertEqual(lead_id, 1)
        lead = self.show(lead_id)
        self.assert_lead_shape({k: v for k, v in lead.items() if k != 'history'})
        self.assertEqual(list(lead.keys()), LEAD_KEYS + ['history'])
        self.assertEqual(lead['title'], 'Minimal')
        self.assertEqual(lead['phase'], 'lead')
        self.assertEqual(lead['probability'], 10)
        self.assertEqual(lead['status'], 'open')
        self.assertEqual(lead['status_class'], 'open')
        self.assertEqual(lead['currency'], 'EUR')
        self.assertEqual(lead['volume_minor'], 0)
        self.assertEqual(lead['owner'], AUTHOR)
        self.assertIsNone(lead['contact'])
        self.assertIsNone(lead['contact_id'])
        self.assertIsNone(lead['close_month'])
        self.assertEqual([(e['kind'], e['field'], e['new']) for e in lead['history']],
                         [('change', 'created', 'Minimal')])

    def test_every_option(self):
        lead_id = self.add_lead('Full', '--volume', '1234.56', '--probability', '40',
                                '--phase', 'Proposal', '--status', 'On hold', '--type', 'upsell',
                                '--unit', 'North', '--source', 'website', '--close-month', '2027-03',
                                '--next-follow-up', '4.12.2026',
                                '--contact', 'ACME GmbH', '--owner', 'Olga', '--description', 'Line 1\nLine 2')
        lead = self.show(lead_id)
        self.assertEqual(lead['volume_minor'], 123456)
        self.assertEqual(lead['weighted_minor'], round_half_away(123456 * 40))
        self.assertEqual(lead['probability'], 40)
        self.assertEqual(lead['phase'], 'proposal')
        self.assertEqual(lead['status'], 'on_hold')
        self.assertEqual(lead['status_class'], 'open')
        self.assertEqual(lead['type'], 'upsell')
        self.assertEqual(lead['unit'], 'north')
        self.assertEqual(lead['source'], 'website')
        self.assertEqual(lead['close_month'], '2027-03')
        self.assertEqual(lead['next_follow_up'], '2026-12-04')
        self.assertEqual(lead['owner'], 'Olga')
        self.assertEqual(lead['description'], 'Line 1\nLine 2')
        self.assertEqual(lead['contact'], 'ACME GmbH')
        contacts = self.json('contact', 'list', '--format', 'json')['contacts']
        self.assertEqual([(c['id'], c['kind'], c['name']) for c in contacts],
                         [(lead['contact_id'], 'company', 'ACME GmbH')])

    def test_existing_contact_is_reused(self):
        person = self.ok_id('contact', 'add', '--name', 'Pia Person', '--person')
        lead_id = self.add_lead('Reuse', '--contact', 'pia person')
        self.assertEqual(self.show(lead_id)['contact_id'], person)
        self.assertEqual(self.count('SELECT count(*) FROM contact'), 1)

    def test_currencies(self):
        jpy = self.show(self.add_lead('Yen', '--currency', 'jpy', '--volume', '1,234'))
        self.assertEqual((jpy['currency'], jpy['volume_minor']), ('JPY', 1234))
        kwd = self.show(self.add_lead('Dinar', '--currency', 'KWD', '--volume', '1.5'))
        self.assertEqual((kwd['currency'], kwd['volume_minor']), ('KWD', 1500))

    def test_default_probability_follows_phase(self):
        self.assertEqual(self.show(self.add_lead('P', '--phase', 'negotiation'))['probability'], 70)

    def test_invalid_values_change_nothing(self):
        self.add_lead('Existing')
        cases = [
            (['--volume', '12,3x'], 'volume'),
            (['--volume', '-5'], 'volume'),
            (['--volume', '1.234'], 'volume'),
            (['--currency', 'JPY', '--volume', '12.5'], 'volume'),
            (['--volume', '99999999999999999999'], 'volume'),
            (['--currency', 'XYZ'], 'currency'),
            (['--probability', '140'], 'probability'),
            (['--probability', '-1'], 'probability'),
            (['--probability', 'abc'], 'probability'),
            (['--close-month', '2027-13'], 'close_month'),
            (['--close-month', 'soon'], 'close_month'),
            (['--next-follow-up', '2026-02-30'], 'next_follow_up'),
            (['--next-follow-up', 'tomorrow'], 'next_follow_up'),
            (['--phase', 'nope'], 'phase'),
            (['--status', 'nope'], 'status'),
            (['--type', 'nope'], 'type'),
            (['--unit', 'nope'], 'unit'),
            (['--source', 'nope'], 'source'),
        ]
        for options, field in cases:
            with self.subTest(options=options):
                message = self.fails('lead', 'add', '--title', 'Bad', *options, field=field)
                if options[-1] in ('140', '12,3x', '2027-13', 'nope'):
                    self.assertIn(options[-1].split('-')[-1], message)
        self.assertEqual(self.count('SELECT count(*) FROM lead'), 1)

    def test_missing_title(self):
        self.fails('lead', 'add', field='title', unchanged=False)
        self.add_lead('Existing')
        self.fails('lead', 'add', '--volume', '5', field='title')
        self.fails('lead', 'add', '--title', '', field='title')
        self.fails('lead', 'add', '--title', '   ', field='title')

    def test_no_stray_contact(self):
        self.add_lead('Existing')
        # a new contact would be created for this lead, but a value is bad
        for options, field in [(['--probability', '140'], 'probability'),
                               (['--phase', 'nope'], 'phase'),
                               (['--close-month', '2027-13'], 'close_month'),
                               (['--volume', 'x'], 'volume')]:
            with self.subTest(options=options):
                self.fails('lead', 'add', '--title', 'T', '--contact', 'Brand New Ltd', *options, field=field)
        self.assertEqual(self.count('SELECT count(*) FROM contact'), 0)

    def test_deactivated_value(self):
        self.add_lead('Existing')
        phase = next(k for k in self.key_values('phase') if k['key'] == 'decision')
        self.ok('keys', 'deactivate', phase['id'])
        self.fails('lead', 'add', '--title', 'T', '--phase', 'decision', field='phase')
        self.fails('lead', 'add', '--title', 'T', '--phase', 'decision', '--contact', 'New', field='phase')


class TestLeadSet(CliTestCase):
    def setUp(self):
        super().setUp()
        self.lead = self.add_lead('Original', '--volume', '100', '--probability', '20',
                                  '--close-month', '2027-01', '--contact', 'First Co')

    def test_many_fields_at_once(self):
        self.ok('lead', 'set', self.lead, 'title=Renamed', 'volume=2500.75', 'probability=60',
                'phase=Negotiation', 'status=on_hold', 'type=Renewal', 'unit=south', 'owner=Max',
                'close_month=2027-06', 'source=Referral', 'description=A, "quoted"\ntext')
        lead = self.show(self.lead)
        self.assertEqual(lead['title'], 'Renamed')
        self.assertEqual(lead['volume_minor'], 250075)
        self.assertEqual(lead['weighted_minor'], round_half_away(250075 * 60))
        self.assertEqual(lead['probability'], 60)
        self.assertEqual(lead['phase'], 'negotiation')
        self.assertEqual(lead['status'], 'on_hold')
        self.assertEqual(lead['type'], 'renewal')
        self.assertEqual(lead['unit'], 'south')
        self.assertEqual(lead['owner'], 'Max')
        self.assertEqual(lead['close_month'], '2027-06')
        self.assertEqual(lead['source'], 'referral')
        self.assertEqual(lead['description'], 'A, "quoted"\ntext')
        changes = {e['field']: (e['old'], e['new']) for e in lead['history'] if e['kind'] == 'change'}
        self.assertEqual(changes['volume_minor'], ('10000', '250075'))
        self.assertEqual(changes['probability'], ('20', '60'))
        self.assertEqual(changes['phase'], ('lead', 'negotiation'))
        self.assertEqual(changes['status'], ('open', 'on_hold'))
        self.assertEqual(changes['owner'], (AUTHOR, 'Max'))
        self.assertEqual(changes['close_month'], ('2027-01', '2027-06'))
        self.assert_history_shape(lead['history'])

    def test_volume_in_the_new_currency(self):
        self.ok('lead', 'set', self.lead, 'volume=500', 'currency=jpy')
        lead = self.show(self.lead)
        self.assertEqual((lead['currency'], lead['volume_minor']), ('JPY', 500))
        self.fails('lead', 'set', self.lead, 'volume=5.5', field='volume')
        self.ok('lead', 'set', self.lead, 'currency=USD', 'volume=5.5')
        lead = self.show(self.lead)
        self.assertEqual((lead['currency'], lead['volume_minor']), ('USD', 550))
        self.ok('lead', 'set', self.lead, 'volume_minor=123456')
        self.assertEqual(self.show(self.lead)['volume_minor'], 123456)

    def test_contact_by_name_and_clearing(self):
        first = self.show(self.lead)['contact_id']
        self.ok('lead', 'set', self.lead, 'contact=Second Co')
        lead = self.show(self.lead)
        self.assertEqual(lead['contact'], 'Second Co')
        self.assertNotEqual(lead['contact_id'], first)
        change = next(e for e in lead['history'] if e['kind'] == 'change' and e['field'] == 'contact_id')
        self.assertEqual((change['old'], change['new']), (str(first), str(lead['contact_id'])))
        self.ok('lead', 'set', self.lead, 'contact=first co')
        self.assertEqual(self.show(self.lead)['contact_id'], first)
        self.ok('lead', 'set', self.lead, 'contact_id=%d' % lead['contact_id'])
        self.assertEqual(self.show(self.lead)['contact'], 'Second Co')
        self.ok('lead', 'set', self.lead, 'contact=', 'close_month=')
        lead = self.show(self.lead)
        self.assertIsNone(lead['contact'])
        self.assertIsNone(lead['contact_id'])
        self.assertIsNone(lead['close_month'])
        change = next(e for e in lead['history'] if e['field'] == 'close_month')
        self.assertEqual((change['old'], change['new']), ('2027-01', None))
        self.assertEqual(self.count('SELECT count(*) FROM contact'), 2)

    def test_one_bad_value_changes_nothing(self):
        cases = [
            (['title=New', 'probability=140'], 'probability'),
            (['title=New', 'probability=-1'], 'probability'),
            (['title=New', 'probability=abc'], 'probability'),
            (['title=New', 'volume=12,3x'], 'volume'),
            (['title=New', 'volume=-5'], 'volume'),
            (['title=New', 'volume=1.234'], 'volume'),
            (['currency=JPY', 'volume=12.5'], 'volume'),
            (['title=New', 'volume_minor=12.5'], 'volume_minor'),
            (['title=New', 'volume_minor=-1'], 'volume_minor'),
            (['title=New', 'close_month=2027-13'], 'close_month'),
            (['title=New', 'phase=nope'], 'phase'),
            (['title=New', 'phase='], 'phase'),
            (['title=New', 'status=nope'], 'status'),
            (['title=New', 'currency=EURO'], 'currency'),
            (['title=New', 'lost_reason=nope'], 'lost_reason'),
            (['title=New', 'contact_id=999'], 'contact_id'),
            (['title=New', 'contact_id=abc'], 'contact_id'),
            (['title='], 'title'),
            (['title=New', 'frob=1'], 'frob'),
            (['title=New', 'id=5'], 'id'),
            (['weighted_minor=5'], 'weighted_minor'),
            (['created_at=2020-01-01'], 'created_at'),
            (['title=New', 'title=Again'], 'title'),
            (['volume=1', 'volume_minor=100'], 'volume_minor'),
            (['contact=X', 'contact_id=1'], 'contact_id'),
            (['contact=Brand New', 'probability=140'], 'probability'),
            (['contact=Brand New', 'phase=nope'], 'phase'),
        ]
        before = self.show(self.lead)
        for assignments, field in cases:
            with self.subTest(assignments=assignments):
                self.fails('lead', 'set', self.lead, *assignments, field=field)
        self.assertEqual(self.show(self.lead), before)
        self.assertEqual(self.count('SELECT count(*) FROM contact'), 1)

    def test_usage(self):
        self.fails('lead', 'set', self.lead, field='set')
        self.fails('lead', 'set', self.lead, 'title', field='set')
        self.fails('lead', 'set', self.lead, '=x', field='set')
        self.fails('lead', 'set', field='id')
        self.fails('lead', 'set', 'abc', 'title=x', field='id')
        self.fails('lead', 'set', '0', 'title=x', field='id')

    def test_unknown_lead(self):
        message = self.fails('lead', 'set', 999, 'title=x', code=1, field='id')
        self.assertIn('999', message)
        self.fails('lead', 'set', 999, 'contact=Would Be New', code=1, field='id')
        self.assertEqual(self.count('SELECT count(*) FROM contact'), 1)


class TestLeadShow(CliTestCase):
    def test_json_and_text(self):
        lead_id = self.add_lead('Shown', '--volume', '10', '--contact', 'Some Co')
        self.ok('report', 'add', lead_id, '--kind', 'call', '--subject', 'Hello', '--text', 'World',
                '--probability', '35')
        lead = self.show(lead_id)
        self.assertEqual(list(lead.keys()), LEAD_KEYS + ['history'])
        self.assert_history_shape(lead['history'])
        kinds = sorted(e['kind'] for e in lead['history'])
        self.assertEqual(kinds, ['change', 'change', 'report'])
        text = self.ok('lead', 'show', lead_id)
        self.assertIn('Shown', text)
        self.assertIn('Some Co', text)
        self.assertIn('Hello', text)
        self.assertIn('10 % → 35 %', text)
        self.assertEqual(self.ok('lead', 'show', lead_id, '--format', 'text'), text)

    def test_errors(self):
        self.add_lead('One')
        self.fails('lead', 'show', 2, code=1, field='id')
        self.fails('lead', 'show', 'x', field='id')
        self.fails('lead', 'show', field='id')
        self.fails('lead', 'show', 1, '--format', 'xml', field='format')
        self.fails('lead', 'show', 1, '--format', 'csv', field='format')
        self.fails('lead', 'show', 1, 2, field='lead show')


class TestLeadList(CliTestCase):
    def setUp(self):
        super().setUp()
        # (title, volume, currency, probability, status, phase, unit, type, owner, close, contact)
        self.data = [
            ('Alpha pumps', '1000.00', 'EUR', 33, 'open', 'lead', 'north', 'upsell', 'Anna', '2027-01', 'Pump AG'),
            ('Beta, "valves"\nphase 2', '0.05', 'EUR', 50, 'open', 'proposal', 'south', 'renewal', 'Bert', '2027-03', 'Valve KG'),
            ('Gamma', '333.33', 'EUR', 67, 'on_hold', 'proposal', 'north', 'upsell', 'anna', '2027-06', ''),
            ('Delta', '2000', 'USD', 25, 'open', 'negotiation', 'international', 'service', 'Carl', '2027-12', 'Pump AG'),
            ('Epsilon', '0.01', 'EUR', 50, 'won', 'decision', 'north', 'renewal', 'Anna', '2026-12', ''),
            ('Zeta', '12345.67', 'USD', 10, 'lost', 'lead', 'south', 'service', 'Bert', '', ''),
            ('Eta', '1', 'JPY', 45, 'open', 'lead', 'key_accounts', 'upsell', 'Carl', '2028-01', ''),
        ]
        self.ids = {}
        for title, volume, currency, prob, status, phase, unit, type_, owner, close, contact in self.data:
            options = ['--volume', volume, '--currency', currency, '--probability', prob, '--status', status,
                       '--phase', phase, '--unit', unit, '--type', type_, '--owner', owner]
            if close:
                options += ['--close-month', close]
            if contact:
                options += ['--contact', contact]
            self.ids[title] = self.add_lead(title, *options)
        # a deleted lead never shows
        self.ok('lead', 'delete', self.add_lead('Deleted', '--volume', '99'))

    def expected_totals(self, titles):
        leads = [self.show(self.ids[t]) for t in titles]
        sums = {}
        for lead in leads:
            s = sums.setdefault(lead['currency'], [0, 0, 0])
            s[0] += 1
            s[1] += lead['volume_minor']
            s[2] += lead['volume_minor'] * lead['probability']
        return {
            'count': len(leads),
            'sums': [{'currency': c, 'count': s[0], 'absolute_minor': s[1],
                      'weighted_minor': round_half_away(s[2])} for c, s in sorted(sums.items())],
        }

    def titles(self, *options):
        return [lead['title'] for lead in self.list_json(*options)['leads']]

    def test_json_shape_and_totals(self):
        result = self.list_json()
        self.assertEqual(list(result.keys()), ['leads', 'total'])
        self.assertEqual(list(result['total'].keys()), ['count', 'sums'])
        for lead in result['leads']:
            self.assert_lead_shape(lead)
        for s in result['total']['sums']:
            self.assertEqual(list(s.keys()), SUM_KEYS)
        self.assertEqual(sorted(l['title'] for l in result['leads']), sorted(self.ids))
        self.assertEqual(result['total'], self.expected_totals(self.ids))
        eur = next(s for s in result['total']['sums'] if s['currency'] == 'EUR')
        # by hand: 100000 + 5 + 33333 + 1; (100000*33 + 5*50 + 33333*67 + 1*50) / 100
        self.assertEqual(eur['absolute_minor'], 133339)
        self.assertEqual(eur['weighted_minor'], round_half_away(100000 * 33 + 5 * 50 + 33333 * 67 + 1 * 50))
        self.assertEqual(eur['weighted_minor'], 55336)

    def test_status_filters(self):
        self.assertEqual(sorted(self.titles('--status', 'open')),
                         sorted(['Alpha pumps', 'Beta, "valves"\nphase 2', 'Gamma', 'Delta', 'Eta']))
        self.assertEqual(self.titles('--status', 'won'), ['Epsilon'])
        self.assertEqual(self.titles('--status', 'lost'), ['Zeta'])
        self.assertEqual(self.titles('--status', 'on_hold'), ['Gamma'])
        self.assertEqual(self.titles('--status', 'On hold'), ['Gamma'])
        self.assertEqual(len(self.titles('--status', 'any')), len(self.ids))
        # a set of statuses, by key or label; a class in a set stands for its statuses
        self.assertEqual(sorted(self.titles('--status', 'won,On hold')), ['Epsilon', 'Gamma'])
        self.assertEqual(sorted(self.titles('--status', 'lost,on_hold')), ['Gamma', 'Zeta'])
        self.assertEqual(len(self.titles('--status', 'open,won,lost')), len(self.ids))
        open_titles = ['Alpha pumps', 'Beta, "valves"\nphase 2', 'Gamma', 'Delta', 'Eta']
        self.assertEqual(self.list_json('--status', 'open')['total'], self.expected_totals(open_titles))

    def test_other_filters(self):
        self.assertEqual(sorted(self.titles('--phase', 'proposal')), sorted(['Beta, "valves"\nphase 2', 'Gamma']))
        self.assertEqual(sorted(self.titles('--phase', 'Proposal')), sorted(['Beta, "valves"\nphase 2', 'Gamma']))
        self.assertEqual(sorted(self.titles('--owner', 'anna')), sorted(['Alpha pumps', 'Gamma', 'Epsilon']))
        self.assertEqual(sorted(self.titles('--unit', 'north')), sorted(['Alpha pumps', 'Gamma', 'Epsilon']))
        self.assertEqual(sorted(self.titles('--type', 'Service')), sorted(['Delta', 'Zeta']))
        self.assertEqual(sorted(self.titles('--from', '2027-03', '--to', '2027-12')),
                         sorted(['Beta, "valves"\nphase 2', 'Gamma', 'Delta']))
        self.assertEqual(sorted(self.titles('--from', '2027-12')), sorted(['Delta', 'Eta']))
        self.assertEqual(self.titles('--to', '2026-12'), ['Epsilon'])
        self.assertEqual(self.titles('--unit', 'north', '--status', 'won', '--owner', 'ANNA'), ['Epsilon'])
        both = self.list_json('--unit', 'north', '--type', 'upsell')
        self.assertEqual(both['total'], self.expected_totals(['Alpha pumps', 'Gamma']))

    def test_search(self):
        self.assertEqual(self.titles('--search', 'gamma'), ['Gamma'])
        self.assertEqual(sorted(self.titles('--search', 'pump')), sorted(['Alpha pumps', 'Delta']))
        self.assertEqual(self.titles('--search', 'valve'), ['Beta, "valves"\nphase 2'])
        self.assertEqual(self.titles('--search', 'zeppelin'), [])
        self.ok('report', 'add', self.ids['Eta'], '--kind', 'visit', '--text', 'Showed the zeppelin hangar')
        self.assertEqual(self.titles('--search', 'zeppelin'), ['Eta'])
        self.assertEqual(self.titles('--search', 'hang'), ['Eta'])
        self.assertEqual(self.titles('--search', 'zeppelin', '--status', 'won'), [])

    def test_sort(self):
        by_volume = self.list_json('--sort', 'volume')['leads']
        self.assertEqual([l['volume_minor'] for l in by_volume], sorted(l['volume_minor'] for l in by_volume))
        by_volume_desc = self.list_json('--sort', 'volume:desc')['leads']
        self.assertEqual(by_volume_desc, list(reversed(by_volume)))
        titles = self.titles('--sort', 'title')
        self.assertEqual(titles, sorted(titles, key=str.casefold))
        probabilities = [l['probability'] for l in self.list_json('--sort', 'probability:desc')['leads']]
        self.assertEqual(probabilities, sorted(probabilities, reverse=True))
        months = [l['close_month'] for l in self.list_json('--sort', 'close_month:asc')['leads']]
        self.assertIsNone(months[0])
        self.assertEqual(months[1:], sorted(months[1:]))
        weighted = self.list_json('--sort', 'weighted')['leads']
        products = [l['volume_minor'] * l['probability'] for l in weighted]
        self.assertEqual(products, sorted(products))
        self.assertEqual(self.titles('--sort', 'phase:desc')[0], 'Epsilon')

    def test_limit(self):
        result = self.list_json('--sort', 'title', '--limit', '2')
        self.assertEqual([l['title'] for l in result['leads']], ['Alpha pumps', 'Beta, "valves"\nphase 2'])
        self.assertEqual(result['total']['count'], len(self.ids))
        self.assertEqual(len(self.list_json('--limit', '0')['leads']), len(self.ids))

    def test_csv(self):
        raw = self.ok('lead', 'list', '--format', 'csv', '--sort', 'title')
        self.assertTrue(raw.endswith('\r\n'))
        rows = list(csv.reader(io.StringIO(raw, newline='')))
        self.assertEqual(rows[0], LEAD_KEYS)
        self.assertEqual(len(rows), 1 + len(self.ids))
        records = [dict(zip(rows[0], r)) for r in rows[1:]]
        leads = self.list_json('--sort', 'title')['leads']
        for record, lead in zip(records, leads):
            for key in LEAD_KEYS:
                expected = lead[key]
                self.assertEqual(record[key], '' if expected is None else str(expected), key)
        # RFC 4180 quoting: comma, quote and line break inside quotes, quotes doubled
        self.assertIn(',"Beta, ""valves""\nphase 2",', raw)
        self.assertIn(',Alpha pumps,', raw)
        for line in raw.split('\r\n')[:-1]:
            if line.startswith(str(self.ids['Gamma']) + ','):
                self.assertNotIn('"', line)

    def test_table(self):
        out = self.ok('lead', 'list', '--sort', 'title')
        lines = out.splitlines()
        header = lines[0]
        self.assertTrue(header.startswith('ID'))
        for column in ('Title', 'Contact', 'Phase', 'Status', 'Volume', 'Prob.', 'Weighted', 'Close', 'Owner'):
            self.assertIn(column, header)
        rows = lines[1:1 + len(self.ids)]
        self.assertEqual(len(rows), len(self.ids))
        # right-aligned columns end where their header ends
        prob_end = header.index('Prob.') + len('Prob.')
        for row in rows:
            self.assertEqual(row[prob_end - 1], '%', row)
            self.assertEqual(row[prob_end - 2], ' ', row)
        # left-aligned columns start where their header starts
        title_start = header.index('Title')
        for row, title in zip(rows, sorted(self.ids, key=str.casefold)):
            self.assertTrue(row[title_start:].startswith(title.replace('\n', ' ')[:4]), row)
        self.assertEqual(lines[-1][:len('Total: 7 leads')], 'Total: 7 leads')
        limited = self.ok('lead', 'list', '--limit', '3').splitlines()
        self.assertIn('3 of 7', limited[-2])

    def test_errors(self):
        cases = [
            (['--status', 'nope'], 'status'),
            (['--phase', 'nope'], 'phase'),
            (['--unit', 'nope'], 'unit'),
            (['--type', 'nope'], 'type'),
            (['--from', '2027-13'], 'from'),
            (['--to', 'never'], 'to'),
            (['--from', '2027-06', '--to', '2027-01'], 'to'),
            (['--sort', 'bogus'], 'sort'),
            (['--sort', 'title:sideways'], 'sort'),
            (['--limit', 'abc'], 'limit'),
            (['--limit', '-1'], 'limit'),
            (['--format', 'xml'], 'format'),
            (['--format', 'text'], 'format'),
        ]
        for options, field in cases:
            with self.subTest(options=options):
                self.fails('lead', 'list', *options, field=field)


class TestStats(CliTestCase):
    """leadsctl stats against Python's own exact arithmetic (fractions)."""

    EXPONENTS = {'EUR': 2, 'USD': 2, 'JPY': 0, 'KWD': 3, 'CHF': 2}
    RATES = {'USD': '0.923457', 'JPY': '0.006173', 'KWD': '2.987654'}
    GROUP_KEYS = ['key', 'label', 'count', 'absolute_minor', 'weighted_minor', 'currency']

    def setUp(self):
        super().setUp()
        # (title, volume, currency, probability, status, phase, unit, type, owner, close)
        data = [
            ('Alpha pumps', '1000.00', 'EUR', 33, 'open', 'lead', 'north', 'upsell', 'Anna', '2027-01'),
            ('Beta', '0.05', 'EUR', 50, 'open', 'proposal', 'south', 'renewal', 'Bert', '2027-03'),
            ('Gamma', '333.33', 'EUR', 67, 'on_hold', 'proposal', 'north', 'upsell', 'anna', '2027-06'),
            ('Delta pump', '2000', 'USD', 25, 'open', 'negotiation', 'international', 'service', 'Carl', '2027-12'),
            ('Epsilon', '0.01', 'EUR', 50, 'won', 'decision', 'north', 'renewal', 'Anna', '2026-12'),
            ('Zeta', '12345.67', 'USD', 10, 'lost', 'lead', 'south', 'service', 'Bert', ''),
            ('Eta', '101', 'JPY', 45, 'open', 'lead', 'key_accounts', 'upsell', 'Carl', '2028-01'),
            ('Theta', '1.005', 'KWD', 100, 'open', 'decision', 'north', 'upsell', 'Anna', ''),
            ('Iota', '50', 'CHF', 80, 'open', 'proposal', 'north', 'upsell', 'Anna', '2027-02'),
            ('Kappa', '7.77', 'EUR', 0, 'open', 'qualification', 'north', 'service', 'Dora', ''),
        ]
        for title, volume, currency, prob, status, phase, unit, type_, owner, close in data:
            options = ['--volume', volume, '--currency', currency, '--probability', prob, '--status', status,
                       '--phase', phase, '--unit', unit, '--type', type_, '--owner', owner]
            if close:
                options += ['--close-month', close]
            self.add_lead(title, *options)
        self.ok('lead', 'delete', self.add_lead('Deleted', '--volume', '99'))
        for currency, rate in self.RATES.items():
            self.ok('rates', 'set', currency, rate)

    @staticmethod
    def round_half_away(value):
        q = value.numerator // value.denominator
        if 2 * (value - q) >= 1:
            q += 1
        return q

    def expected(self, by, list_options=(), months=(None, None)):
        """The figures, from the leads lead list gives for the same filter."""
        start, end = months
        groups, total, unconverted = {}, [0, fractions.Fraction(0), fractions.Fraction(0)], {}
        for lead in self.list_json(*list_options)['leads']:
            close = lead['close_month']
            if close is not None and ((start and close < start) or (end and close > end)):
                continue
            currency = lead['currency']
            if currency != 'EUR' and currency not in self.RATES:
                u = unconverted.setdefault(currency, [0, 0])
                u[0] += 1
                u[1] += lead['volume_minor']
                continue
            rate = fractions.Fraction(self.RATES.get(currency, '1'))
            value = fractions.Fraction(lead['volume_minor'], 10 ** self.EXPONENTS[currency]) * rate * 100
            key = {'status': lead['status'], 'phase': lead['phase'], 'month': close or ''}[by]
            for g in (groups.setdefault(key, [0, fractions.Fraction(0), fractions.Fraction(0)]), total):
                g[0] += 1
                g[1] += value
                g[2] += value * lead['probability'] / 100
        figures = {k: (g[0], self.round_half_away(g[1]), self.round_half_away(g[2])) for k, g in groups.items()}
        return figures, (total[0], self.round_half_away(total[1]), self.round_half_away(total[2])), unconverted

    def stats(self, *options):
        return self.json('stats', '--format', 'json', *options)

    def check(self, by, stats_options=(), list_options=(), months=(None, None)):
        result = self.stats('--by', by, *stats_options)
        figures, total, unconverted = self.expected(by, list_options, months)
        rows = {g['key']: (g['count'], g['absolute_minor'], g['weighted_minor']) for g in result['groups']}
        for key, value in figures.items():
            self.assertEqual(rows.get(key), value, f'{by} {stats_options}: {key}')
        for key, value in rows.items():
            if key not in figures:
                self.assertEqual(value, (0, 0, 0), f'{by} {stats_options}: {key}')
        t = result['total']
        self.assertEqual((t['count'], t['absolute_minor'], t['weighted_minor']), total)
        self.assertEqual({u['currency']: [u['count'], u['absolute_minor']] for u in result['unconverted']},
                         unconverted)
        return result

    def test_json_shape(self):
        result = self.stats()
        self.assertEqual(list(result.keys()), ['by', 'currency', 'from', 'to', 'groups', 'total', 'unconverted'])
        self.assertEqual(result['by'], 'status')
        self.assertEqual(result['currency'], 'EUR')
        for group in result['groups'] + [result['total']]:
            self.assertEqual(list(group.keys()), self.GROUP_KEYS)
            self.assertEqual(group['currency'], 'EUR')
        self.assertEqual([g['key'] for g in result['groups']], ['open', 'on_hold', 'won', 'lost', 'cancelled'])
        self.assertEqual(result['total']['label'], 'Total')
        self.assertEqual(result['unconverted'], [{'currency': 'CHF', 'count': 1, 'absolute_minor': 5000}])

    def test_figures(self):
        cases = [
            ((), ()),
            (('--status', 'open,won'), ('--status', 'open,won')),
            (('--status', 'open'), ('--status', 'open')),
            (('--owner', 'ANNA', '--status', 'open,on_hold'), ('--owner', 'ANNA', '--status', 'open,on_hold')),
            (('--unit', 'north', '--type', 'upsell'), ('--unit', 'north', '--type', 'upsell')),
            (('--search', 'pump'), ('--search', 'pump')),
            (('--phase', 'Proposal'), ('--phase', 'Proposal')),
        ]
        for by in ('status', 'phase', 'month'):
            for stats_options, list_options in cases:
                with self.subTest(by=by, options=stats_options):
                    self.check(by, stats_options, list_options)
                    # with a month range (leads without a close month still count)
                    self.check(by, stats_options + ('--from', '2027-01', '--to', '2027-12'),
                               list_options, ('2027-01', '2027-12'))

    def test_rounding_by_hand(self):
        # Theta: 1.005 KWD at 2.987654 = 3.002592... EUR -> 300 cents (0.2592 rounds down)
        # Kappa: 7.77 EUR at 0 % -> weighted 0
        result = self.stats('--by', 'phase')
        decision = next(g for g in result['groups'] if g['key'] == 'decision')
        self.assertEqual(decision['count'], 2)
        self.assertEqual(decision['absolute_minor'], 1 + 300)
        self.assertEqual(decision['weighted_minor'], round_half_away(1 * 50) + 300)
        qualification = next(g for g in result['groups'] if g['key'] == 'qualification')
        self.assertEqual((qualification['count'], qualification['absolute_minor'], qualification['weighted_minor']),
                         (1, 777, 0))

    def test_month_range(self):
        result = self.check('month', ('--from', '2027-01', '--to', '2027-06'), (), ('2027-01', '2027-06'))
        self.assertEqual([g['key'] for g in result['groups']],
                         ['2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06', ''])
        self.assertEqual(result['groups'][-1]['label'], 'No close month')
        self.assertEqual(result['groups'][3]['label'], 'April 2027')
        self.assertEqual(result['groups'][3]['count'], 0)
        self.assertEqual((result['from'], result['to']), ('2027-01', '2027-06'))
        # without a range: the months that have leads, ascending, then none
        # (2027-02 has only a lead without exchange rate: a row with 0)
        groups = self.stats('--by', 'month')['groups']
        self.assertEqual([g['key'] for g in groups],
                         ['2026-12', '2027-01', '2027-02', '2027-03', '2027-06', '2027-12', '2028-01', ''])
        self.assertEqual(groups[2]['count'], 0)

    def test_rates_change_the_figures(self):
        self.ok('rates', 'set', 'CHF', '1.05')
        result = self.stats('--by', 'phase')
        self.assertEqual(result['unconverted'], [])
        proposal = next(g for g in result['groups'] if g['key'] == 'proposal')
        self.assertEqual(proposal['absolute_minor'], 5 + 33333 + 5250)
        self.ok('rates', 'remove', 'chf')
        self.assertEqual(len(self.stats()['unconverted']), 1)

    def test_csv_and_table(self):
        result = self.stats('--by', 'status')
        raw = self.ok('stats', '--by', 'status', '--format', 'csv')
        rows = list(csv.DictReader(io.StringIO(raw, newline='')))
        self.assertEqual(list(rows[0].keys()), ['key', 'label', 'count', 'absolute', 'absolute_minor',
                                                'weighted', 'weighted_minor', 'currency'])
        groups = rows[:len(result['groups'])]
        self.assertEqual([(r['key'], r['label'], int(r['count']), int(r['absolute_minor']), int(r['weighted_minor']))
                          for r in groups],
                         [(g['key'], g['label'], g['count'], g['absolute_minor'], g['weighted_minor'])
                          for g in result['groups']])
        total = rows[len(result['groups'])]
        self.assertEqual(total['key'], 'total')
        self.assertEqual(int(total['absolute_minor']), result['total']['absolute_minor'])
        self.assertEqual(total['absolute'], '%d.%02d' % divmod(result['total']['absolute_minor'], 100))
        unconverted = rows[len(result['groups']) + 1:]
        self.assertEqual([(r['key'], r['count'], r['absolute_minor'], r['currency']) for r in unconverted],
                         [('unconverted', '1', '5000', 'CHF')])

        lines = self.ok('stats', '--by', 'status').splitlines()
        self.assertTrue(lines[0].startswith('Status'))
        for column in ('Leads', 'Volume', 'Weighted'):
            self.assertIn(column, lines[0])
        self.assertTrue(lines[1].startswith('Open'))
        total_line = next(l for l in lines if l.startswith('Total'))
        self.assertIn('€', total_line)
        self.assertIn('CHF', lines[-1])
        self.assertIn('no exchange rate', lines[-1])

    def test_errors(self):
        cases = [
            (['--by', 'owner'], 'by'),
            (['--by', ''], 'by'),
            (['--from', '2027-13'], 'from'),
            (['--to', 'never'], 'to'),
            (['--from', '2027-06', '--to', '2027-01'], 'to'),
            (['--status', 'nope'], 'status'),
            (['--status', 'open,nope'], 'status'),
            (['--phase', 'nope'], 'phase'),
            (['--format', 'xml'], 'format'),
        ]
        for options, field in cases:
            with self.subTest(options=options):
                self.fails('stats', *options, field=field)
        self.fails('stats', 'extra', field='stats')

    def test_rates(self):
        listed = self.json('rates', 'list', '--format', 'json')
        self.assertEqual(listed['company_currency'], 'EUR')
        self.assertEqual([(r['currency'], r['rate'], r['rate_micros']) for r in listed['rates']],
                         [('JPY', '0.006173', 6173), ('KWD', '2.987654', 2987654), ('USD', '0.923457', 923457)])
        self.ok('rates', 'set', 'usd', '0.5')
        self.assertIn('USD', self.ok('rates', 'list'))
        self.assertEqual(self.json('rates', 'list', '--format', 'json')['rates'][2]['rate'], '0.5')
        self.fails('rates', 'set', 'GBP', 'abc', field='rate')
        self.fails('rates', 'set', 'GBP', '1.0000001', field='rate')
        self.fails('rates', 'set', 'GBP', '0', field='rate')
        self.fails('rates', 'set', 'XYZ', '1', field='currency')
        self.fails('rates', 'set', 'EUR', '1', field='currency')
        self.fails('rates', 'set', 'GBP', field='rates set')
        self.fails('rates', 'remove', 'GBP', code=1, field='currency')
        self.fails('rates', 'remove', field='rates remove')
        self.fails('rates', 'frob')
        self.ok('rates', 'remove', 'USD')
        self.assertEqual(len(self.json('rates', 'list', '--format', 'json')['rates']), 2)


class TestLeadActions(CliTestCase):
    def setUp(self):
        super().setUp()
        self.lead = self.add_lead('Acting', '--volume', '500', '--probability', '40', '--contact', 'Act Co',
                                  '--type', 'upsell', '--close-month', '2027-02')

    def test_won(self):
        self.ok('lead', 'won', self.lead)
        lead = self.show(self.lead)
        self.assertEqual((lead['status'], lead['status_class'], lead['probability']), ('won', 'won', 100))
        self.assertEqual(lead['weighted_minor'], lead['volume_minor'])
        changes = {e['field']: (e['old'], e['new']) for e in lead['history'] if e['kind'] == 'change'}
        self.assertEqual(changes['status'], ('open', 'won'))
        self.assertEqual(changes['probability'], ('40', '100'))

    def test_lost(self):
        self.fails('lead', 'lost', self.lead, '--reason', 'nope', field='lost_reason')
        self.ok('lead', 'lost', self.lead, '--reason', 'Went to a competitor')
        lead = self.show(self.lead)
        self.assertEqual((lead['status'], lead['status_class'], lead['probability'], lead['lost_reason']),
                         ('lost', 'lost', 0, 'competitor'))
        other = self.add_lead('Other')
        self.ok('lead', 'lost', other)
        self.assertEqual(self.show(other)['lost_reason'], '')

    def test_duplicate(self):
        copy = self.ok_id('lead', 'duplicate', self.lead)
        self.assertNotEqual(copy, self.lead)
        original, duplicate = self.show(self.lead), self.show(copy)
        self.assertEqual(duplicate['title'], 'Acting (copy)')
        for key in ('volume_minor', 'currency', 'probability', 'contact_id', 'type', 'close_month', 'phase', 'status'):
            self.assertEqual(duplicate[key], original[key], key)
        self.assertNotEqual(duplicate['uuid'], original['uuid'])

    def test_delete(self):
        self.ok('lead', 'delete', self.lead)
        self.fails('lead', 'show', self.lead, code=1, field='id')
        self.fails('lead', 'delete', self.lead, code=1, field='id')
        self.assertEqual(self.list_json()['leads'], [])
        self.assertEqual(self.count('SELECT deleted FROM lead WHERE id = ?', self.lead), 1)

    def test_unknown_ids(self):
        for command in ('delete', 'won', 'lost', 'duplicate', 'show'):
            with self.subTest(command=command):
                self.assertIn('999', self.fails('lead', command, 999, code=1, field='id'))
                self.fails('lead', command, 'abc', field='id')
                self.fails('lead', command, field='id')
                self.fails('lead', command, self.lead, 'extra', field='lead ' + command)


class TestReports(CliTestCase):
    def setUp(self):
        super().setUp()
        self.lead = self.add_lead('Reported', '--volume', '1000', '--contact', 'Report Co')

    def test_report_changes_probability_and_phase(self):
        report = self.ok_id('report', 'add', self.lead, '--kind', 'visit', '--subject', 'On site',
                            '--text', 'They liked the demo', '--probability', '70', '--phase', 'Proposal',
                            '--at', '2026-11-20T10:00')
        self.assertEqual(report, 1)
        lead = self.show(self.lead)
        self.assertEqual((lead['probability'], lead['phase']), (70, 'proposal'))
        history = lead['history']
        self.assert_history_shape(history)
        entry = next(e for e in history if e['kind'] == 'report')
        self.assertEqual(entry, {'at': '2026-11-20T10:00:00Z', 'author': AUTHOR, 'kind': 'report',
                                 'report_kind': 'visit', 'subject': 'On site', 'text': 'They liked the demo',
                                 'probability': 70, 'phase': 'proposal'})
        change = next(e for e in history if e['kind'] == 'change' and e['field'] == 'probability')
        self.assertEqual((change['old'], change['new'], change['author']), ('10', '70', AUTHOR))
        phase = next(e for e in history if e['kind'] == 'change' and e['field'] == 'phase')
        self.assertEqual((phase['old'], phase['new']), ('lead', 'proposal'))
        # a second report, now: newest first
        self.ok_id('report', 'add', self.lead, '--kind', 'call', '--text', 'Follow-up', '--probability', '80')
        history = self.show(self.lead)['history']
        self.assert_history_shape(history)
        reports = [e for e in history if e['kind'] == 'report']
        self.assertEqual([r['text'] for r in reports], ['Follow-up', 'They liked the demo'])
        self.assertEqual(history[-1]['kind'], 'report')   # 2026-11-20 is before the lead was made
        probability_changes = [(e['old'], e['new']) for e in history if e.get('field') == 'probability']
        self.assertEqual(probability_changes, [('70', '80'), ('10', '70')])
        self.assertEqual(self.count('SELECT count(*) FROM lead_event WHERE activity_id IS NOT NULL'), 3)

    def test_report_without_changes(self):
        self.ok_id('report', 'add', self.lead, '--kind', 'Note', '--subject', 'Only a subject')
        history = self.show(self.lead)['history']
        entry = next(e for e in history if e['kind'] == 'report')
        self.assertEqual((entry['report_kind'], entry['text'], entry['probability'], entry['phase']),
                         ('note', '', None, None))
        self.assertEqual(self.show(self.lead)['probability'], 10)

    def test_times(self):
        for at, expected in [('2026-11-20', '2026-11-20T00:00:00Z'),
                             ('2026-11-20 08:30', '2026-11-20T08:30:00Z'),
                             ('2026-11-20T08:30:15', '2026-11-20T08:30:15Z'),
                             ('2026-11-20T10:00+01:00', '2026-11-20T09:00:00Z'),
                             ('2026-11-20T10:00Z', '2026-11-20T10:00:00Z')]:
            with self.subTest(at=at):
                report = self.ok_id('report', 'add', self.lead, '--kind', 'call', '--text', at, '--at', at)
                entry = next(e for e in self.show(self.lead)['history'] if e.get('text') == at)
                self.assertEqual(entry['at'], expected)
                self.assertGreater(report, 0)

    def test_errors(self):
        cases = [
            (['--kind', 'visit', '--text', 'x', '--probability', '140'], 'probability', 2),
            (['--kind', 'visit', '--text', 'x', '--probability', '-1'], 'probability', 2),
            (['--kind', 'visit', '--text', 'x', '--probability', 'abc'], 'probability', 2),
            (['--kind', 'visit', '--text', 'x', '--phase', 'nope'], 'phase', 2),
            (['--kind', 'nope', '--text', 'x'], 'kind', 2),
            (['--text', 'x'], 'kind', 2),
            (['--kind', 'visit'], 'text', 2),
            (['--kind', 'visit', '--text', 'x', '--at', '2026-13-01'], 'at', 2),
            (['--kind', 'visit', '--text', 'x', '--at', 'yesterday'], 'at', 2),
        ]
        for options, field, code in cases:
            with self.subTest(options=options):
                self.fails('report', 'add', self.lead, *options, code=code, field=field)
        self.fails('report', 'add', 999, '--kind', 'visit', '--text', 'x', code=1, field='id')
        self.fails('report', 'add', 'abc', '--kind', 'visit', '--text', 'x', field='lead_id')
        self.fails('report', 'add', '--kind', 'visit', '--text', 'x', field='lead_id')
        self.fails('report', 'frob')
        self.assertEqual(self.count('SELECT count(*) FROM activity'), 0)


class TestContacts(CliTestCase):
    def test_add_list_show(self):
        company = self.ok_id('contact', 'add', '--name', 'Müller Maschinenbau GmbH')
        person = self.ok_id('contact', 'add', '--name', 'Jana Novák', '--person', '--company', 'müller maschinenbau gmbh')
        other = self.ok_id('contact', 'add', '--name', 'Solo Person', '--person')
        by_id = self.ok_id('contact', 'add', '--name', 'Second Person', '--person', '--company', str(company))
        contacts = self.json('contact', 'list', '--format', 'json')['contacts']
        for c in contacts:
            self.assertEqual(list(c.keys()), CONTACT_KEYS)
        self.assertEqual([c['name'] for c in contacts],
                         ['Jana Novák', 'Müller Maschinenbau GmbH', 'Second Person', 'Solo Person'])
        jana = next(c for c in contacts if c['id'] == person)
        self.assertEqual((jana['kind'], jana['company'], jana['company_id']),
                         ('person', 'Müller Maschinenbau GmbH', company))
        self.assertEqual(next(c for c in contacts if c['id'] == by_id)['company_id'], company)
        self.assertEqual([c['id'] for c in self.json('contact', 'list', '--search', 'müller', '--format', 'json')['contacts']],
                         [person, company, by_id])
        table = self.ok('contact', 'list')
        self.assertIn('Solo Person', table)
        self.assertTrue(table.startswith('ID'))

        # leads of the company and of its people; history across all of them
        company_lead = self.add_lead('Company deal', '--contact', 'Müller Maschinenbau GmbH', '--volume', '10')
        person_lead = self.add_lead('Person deal', '--contact', 'Jana Novák')
        self.add_lead('Unrelated', '--contact', 'Solo Person')
        self.ok('report', 'add', person_lead, '--kind', 'call', '--text', 'Called Jana', '--probability', '55')
        self.ok('lead', 'set', company_lead, 'probability=15')
        shown = self.json('contact', 'show', company, '--format', 'json')
        self.assertEqual(list(shown.keys()), CONTACT_KEYS + ['leads', 'history'])
        self.assertEqual(sorted(l['id'] for l in shown['leads']), sorted([company_lead, person_lead]))
        for lead in shown['leads']:
            self.assert_lead_shape(lead)
        self.assert_history_shape(shown['history'], with_lead=True)
        self.assertEqual({e['lead_id'] for e in shown['history']}, {company_lead, person_lead})
        self.assertIn('Called Jana', [e.get('text') for e in shown['history']])
        self.assertIn(('15', company_lead), [(e.get('new'), e['lead_id']) for e in shown['history']])
        self.assertEqual(shown['n_leads'], 1)
        text = self.ok('contact', 'show', company)
        self.assertIn('Person deal', text)
        self.assertIn('Called Jana', text)
        self.assertEqual(self.json('contact', 'show', other, '--format', 'json')['leads'][0]['title'], 'Unrelated')

    def test_errors(self):
        self.ok_id('contact', 'add', '--name', 'Existing Co')
        self.fails('contact', 'add', field='name')
        self.fails('contact', 'add', '--name', '  ', field='name')
        self.fails('contact', 'add', '--name', 'x' * 301, field='name')
        self.fails('contact', 'add', '--name', 'P', '--company', 'Existing Co', field='company')
        self.fails('contact', 'add', '--name', 'P', '--person', '--company', 'Nope', field='company')
        person = self.ok_id('contact', 'add', '--name', 'A Person', '--person')
        self.fails('contact', 'add', '--name', 'P', '--person', '--company', 'A Person', field='company')
        self.fails('contact', 'add', '--name', 'P', '--person', '--company', str(person), field='company')
        self.fails('contact', 'show', 99, code=1, field='id')
        self.fails('contact', 'show', 'abc', field='id')
        self.fails('contact', 'show', field='id')
        self.fails('contact', 'show', 1, '--format', 'csv', field='format')
        self.fails('contact', 'list', '--format', 'csv', field='format')


class TestKeys(CliTestCase):
    def test_list(self):
        keys = self.key_values()
        for kv in keys:
            self.assertEqual(list(kv.keys()), KEY_VALUE_KEYS)
        kinds = ['phase', 'status', 'type', 'unit', 'source', 'lost_reason', 'activity_kind']
        self.assertEqual(sorted({kv['kind'] for kv in keys}), sorted(kinds))
        phases = self.key_values('phase')
        self.assertEqual([p['key'] for p in phases],
                         ['lead', 'qualification', 'needs_analysis', 'proposal', 'negotiation', 'decision'])
        self.assertEqual([p['probability'] for p in phases], [10, 20, 30, 50, 70, 90])
        self.assertEqual([p['position'] for p in phases], list(range(6)))
        statuses = {s['key']: s['status_class'] for s in self.key_values('status')}
        self.assertEqual(statuses, {'open': 'open', 'on_hold': 'open', 'won': 'won', 'lost': 'lost', 'cancelled': 'lost'})
        self.assertTrue(all(kv['probability'] is None for kv in self.key_values('unit')))
        self.add_lead('User', '--unit', 'north')
        self.assertEqual(next(u for u in self.key_values('unit') if u['key'] == 'north')['uses'], 1)
        table = self.ok('keys', 'list', 'status')
        self.assertIn('On hold', table)
        self.assertNotIn('Proposal', table)
        self.fails('keys', 'list', 'frob', field='kind')
        self.fails('keys', 'list', '--format', 'csv', field='format')

    def test_add(self):
        phase = self.ok_id('keys', 'add', 'phase', 'Contract review', '--probability', '95')
        added = self.key_values('phase')[-1]
        self.assertEqual((added['id'], added['key'], added['label'], added['probability'], added['position'], added['active']),
                         (phase, 'contract_review', 'Contract review', 95, 6, True))
        status = self.ok_id('keys', 'add', 'status', 'Signed', '--class', 'won')
        self.assertEqual(next(s for s in self.key_values('status') if s['id'] == status)['status_class'], 'won')
        lead = self.add_lead('With new values', '--phase', 'contract review', '--status', 'Signed')
        self.assertEqual(self.show(lead)['status_class'], 'won')
        self.assertEqual(self.show(lead)['probability'], 95)
        self.fails('keys', 'add', 'source', 'trade FAIR', field='label')   # exists already

    def test_add_errors(self):
        self.fails('keys', 'add', 'phase', 'No probability', field='probability')
        self.fails('keys', 'add', 'phase', 'Bad', '--probability', '140', field='probability')
        self.fails('keys', 'add', 'unit', 'Bad', '--probability', '50', field='probability')
        self.fails('keys', 'add', 'unit', 'Bad', '--class', 'won', field='class')
        self.fails('keys', 'add', 'status', 'Bad', '--class', 'maybe', field='class')
        self.fails('keys', 'add', 'frob', 'Bad', field='kind')
        self.fails('keys', 'add', 'unit', field='label')
        self.fails('keys', 'add', 'unit', '  ', field='label')
        self.fails('keys', 'add', field='kind')
        self.fails('keys', 'add', 'unit', 'north', field='label')   # the label of a key: exists

    def test_rename_move_activate(self):
        units = {u['key']: u for u in self.key_values('unit')}
        north = units['north']['id']
        self.ok('keys', 'rename', north, 'Nord')
        self.assertEqual(next(u for u in self.key_values('unit') if u['id'] == north)['label'], 'Nord')
        self.assertEqual(next(u for u in self.key_values('unit') if u['id'] == north)['key'], 'north')
        self.fails('keys', 'rename', north, 'South', field='label')
        self.fails('keys', 'rename', north, '', field='label')
        self.fails('keys', 'rename', north, field='label')

        self.ok('keys', 'move', units['key_accounts']['id'], 0)
        self.assertEqual([u['key'] for u in self.key_values('unit')], ['key_accounts', 'north', 'south', 'international'])
        self.fails('keys', 'move', north, 'first', field='position')
        self.fails('keys', 'move', north, field='position')

        lead = self.add_lead('In north', '--unit', 'north')
        self.ok('keys', 'deactivate', north)
        self.assertFalse(next(u for u in self.key_values('unit') if u['id'] == north)['active'])
        self.fails('lead', 'add', '--title', 'x', '--unit', 'north', field='unit')
        self.ok('lead', 'set', lead, 'unit=north', 'title=Still north')   # a lead may keep its value
        self.assertEqual(self.show(lead)['unit'], 'north')
        self.ok('keys', 'activate', north)
        self.add_lead('Again', '--unit', 'Nord')

        phase = next(p for p in self.key_values('phase') if p['key'] == 'decision')['id']
        self.ok('keys', 'probability', phase, 95)
        self.assertEqual(next(p for p in self.key_values('phase') if p['id'] == phase)['probability'], 95)
        self.fails('keys', 'probability', phase, 101, field='probability')
        self.fails('keys', 'probability', north, 50, field='probability')

    def test_last_active_value(self):
        kinds = self.key_values('activity_kind')
        for kv in kinds[1:]:
            self.ok('keys', 'deactivate', kv['id'])
        self.fails('keys', 'deactivate', kinds[0]['id'], code=1)

    def test_delete(self):
        units = {u['key']: u['id'] for u in self.key_values('unit')}
        self.add_lead('Uses south', '--unit', 'south')
        self.fails('keys', 'delete', units['south'], code=1)
        self.ok('keys', 'delete', units['international'])
        self.assertNotIn('international', [u['key'] for u in self.key_values('unit')])

    def test_unknown_ids(self):
        for args in (['rename', 999, 'X'], ['activate', 999], ['deactivate', 999], ['delete', 999],
                     ['move', 999, 1], ['probability', 999, 50]):
            with self.subTest(args=args):
                self.assertIn('999', self.fails('keys', *args, code=1, field='id'))
        for command in ('rename', 'activate', 'deactivate', 'delete', 'move', 'probability'):
            with self.subTest(command=command):
                extra = ['x'] if command in ('rename', 'move', 'probability') else []
                self.fails('keys', command, 'abc', *extra, field='id')
                self.fails('keys', command, field='id')


class TestGenerateAndCheck(CliTestCase):
    def test_generate(self):
        self.ok('generate', '--count', 250, '--seed', 42)
        self.assertEqual(self.count('SELECT count(*) FROM lead WHERE deleted = 0'), 250)
        self.assertGreater(self.count('SELECT count(*) FROM contact'), 0)
        self.assertGreater(self.count('SELECT count(*) FROM activity'), 0)
        titles = self.count("SELECT group_concat(title, '|') FROM (SELECT title FROM lead ORDER BY id)")
        result = self.list_json()
        self.assertEqual(result['total']['count'], 250)
        con = sqlite3.connect(self.db)
        try:
            sums = con.execute('SELECT currency, count(*), sum(volume_minor), sum(volume_minor * probability) '
                               'FROM lead WHERE deleted = 0 GROUP BY currency ORDER BY currency').fetchall()
        finally:
            con.close()
        self.assertEqual(result['total']['sums'],
                         [{'currency': c, 'count': n, 'absolute_minor': a, 'weighted_minor': round_half_away(w)}
                          for c, n, a, w in sums])
        # the same seed gives the same data
        first_db = self.db
        self.db = os.path.join(self.tmp.name, 'second.db')
        self.ok('generate', '--count', 250, '--seed', 42)
        self.assertEqual(self.count("SELECT group_concat(title, '|') FROM (SELECT title FROM lead ORDER BY id)"), titles)
        self.db = first_db
        # adds to what is there
        self.ok('generate', '--count', 10)
        self.assertEqual(self.count('SELECT count(*) FROM lead WHERE deleted = 0'), 260)
        self.assertEqual(self.ok('check'), 'ok\n')

    def test_sample(self):
        self.ok('generate', '--sample')
        self.assertEqual(self.count('SELECT count(*) FROM lead WHERE deleted = 0'), 300)
        self.assertEqual(self.ok('check'), 'ok\n')
        # the sample brings rates for its currencies: its statistics count
        # every lead, none is listed as not converted
        stats = self.json('stats', '--by', 'status', '--format', 'json')
        self.assertEqual(stats['total']['count'],
                         self.count('SELECT count(*) FROM lead WHERE deleted = 0'))
        self.assertEqual(stats.get('unconverted', []), [])

    def test_errors(self):
        self.add_lead('Keep')
        self.fails('generate', field='count')
        self.fails('generate', '--count', 0, field='count')
        self.fails('generate', '--count', -3, field='count')
        self.fails('generate', '--count', 'many', field='count')
        self.fails('generate', '--count', 5, '--seed', 'x', field='seed')
        self.fails('generate', '--count', 5, '--sample', field='sample')
        self.fails('generate', '--count', 5, 'extra', field='generate')

    def test_check(self):
        self.assertEqual(self.ok('check'), 'ok\n')
        self.add_lead('Something')
        self.assertEqual(self.ok('check'), 'ok\n')


def main():
    global LEADSCTL
    if len(sys.argv) < 2:
        sys.exit('usage: test-cli.py PATH/TO/leadsctl [unittest arguments]')
    LEADSCTL = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)


if __name__ == '__main__':
    main()
