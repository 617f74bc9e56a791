// IPVS mode: the kernel's schedulers against sequences worked out by hand from
// net/netfilter/ipvs/ip_vs_*.c (and an independent re-computation of the hashes), the
// connection counters and persistence, and what kube-proxy's IPVS mode leaves on a node as
// ipvsadm, ipset, ip and iptables-save print it (goldens under tests/golden/ipvs/).
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { Simulation } from '../../src/sim/index';
import { runCommandLine } from '../../src/sim/shell';
import type { ClusterApi } from '../../src/sim/shell/types';
import {
  closeConnection, dhBucket, dhTable, expire, hash32, mhSetup, mhTable, MH_TAB_SIZE, newIpvsState, openConnection, readRates, realCounters,
  schedule, shBucket, shTable, siphash, vsState, wrrSequence, type IpvsState, type RealServer, type VirtualServer,
} from '../../src/sim/ipvs/index';
import { kubeProxyIpvs, ipsetHas } from '../../src/sim/kube-proxy/ipvs/index';
import { compareServices, msort } from '../../src/sim/shell/ipvs';
import { createRng } from '../../src/sim/rng';
import { GOLDEN, cluster, course, load } from './helpers';

const G = (name: string) => path.join(GOLDEN, 'ipvs', name);

function vs(reals: [string, number][] | RealServer[], scheduler = 'rr', extra: Partial<VirtualServer> = {}): VirtualServer {
  const rs = (reals as unknown[]).map((r) => (Array.isArray(r) ? { ip: r[0] as string, port: 80, weight: r[1] as number } : (r as RealServer)));
  return { proto: 'TCP', vip: '10.96.100.100', port: 80, scheduler, reals: rs, kind: 'clusterIP', service: 'default/web', servicePort: '', ...extra };
}

const client = (src = '10.244.1.5', sport = 40000) => ({ src, sport });

/** Picks n times (each pick opens nothing: counters stay as they are). */
function picks(v: VirtualServer, n: number, state: IpvsState = newIpvsState()): (string | null)[] {
  return Array.from({ length: n }, () => schedule(state, v, client(), 0).real?.ip ?? null);
}

describe('schedulers (ip_vs_*.c)', () => {
  it('rr: strict rotation from the list head; weight-0 (quiesced) reals are skipped', () => {
    const v = vs([['A', 1], ['B', 1], ['C', 1]]);
    expect(picks(v, 7)).toEqual(['A', 'B', 'C', 'A', 'B', 'C', 'A']);
    const q = vs([['A', 1], ['B', 0], ['C', 1]]);
    const st = newIpvsState();
    const r = schedule(st, q, client(), 0);
    expect(r.why.en).toBe('rr: first in the list → A:80');
    expect(schedule(st, q, client(), 0).why.en).toBe('rr: next after A:80 → C:80, skipping B:80 (weight 0)');
    expect(picks(q, 4)).toEqual(['A', 'C', 'A', 'C']);
    expect(picks(vs([['A', 0], ['B', 0]]), 2)).toEqual([null, null]);
  });

  it('rr keeps its place when the list changes (a removed real: continue after the one before it)', () => {
    const st = newIpvsState();
    const v1 = vs([['A', 1], ['B', 1], ['C', 1]]);
    expect(picks(v1, 2, st)).toEqual(['A', 'B']);
    // B deleted: ip_vs_rr_del_dest moves sched_data back to A, so C is next.
    expect(picks(vs([['A', 1], ['C', 1]]), 1, st)).toEqual(['C']);
  });

  it('wrr 4,3,2: the kernel\'s gcd-stepped sequence (cw 4 → 3 → 2 → 1)', () => {
    // Worked by hand from ip_vs_wrr_schedule: mw = 4, di = gcd = 1.
    // cw=4: A | cw=3: A B | cw=2: A B C | cw=1: A B C | cw back to 4: A …
    const v = vs([['A', 4], ['B', 3], ['C', 2]], 'wrr');
    expect(picks(v, 18).join('')).toBe('AABABCABC'.repeat(2));
    const st = newIpvsState();
    schedule(st, v, client(), 0);
    expect(schedule(st, v, client(), 0).why.en).toBe('wrr: current weight cw=3: A:80 has weight 4 ≥ 3; the pass with cw=4 ended, cw lowered by gcd 1 to 3 (max 4, gcd 1)');
  });

  it('wrr with a common divisor: weights 2,4 step by gcd 2 (mw = 4 - (2 - 1) = 3)', () => {
    expect(picks(vs([['A', 2], ['B', 4]], 'wrr'), 6).join('')).toBe('BABBAB');
  });

  it('wrr and rr give each real its weight\'s share over a full cycle (property)', () => {
    const rng = createRng('wrr-property');
    for (let t = 0; t < 200; t++) {
      const n = 1 + rng.int(5);
      const weights = Array.from({ length: n }, () => rng.int(6));
      if (!weights.some((w) => w > 0)) weights[0] = 1;
      const v = vs(weights.map((w, i) => [`R${i}`, w]), 'wrr');
      const g = weights.filter((w) => w > 0).reduce((a, b) => { while (b) [a, b] = [b, a % b]; return a; });
      const cycle = weights.reduce((a, b) => a + b, 0) / g;
      const seq = wrrSequence(v.reals, cycle * 3);
      for (let i = 0; i < n; i++) expect(seq.filter((x) => x === i).length, `weights ${weights}`).toBe((weights[i] / g) * 3);
      const r = vs(weights.map((w, i) => [`R${i}`, w]));
      const live = weights.filter((w) => w > 0).length;
      const got = picks(r, live * 4);
      for (let i = 0; i < n; i++) expect(got.filter((x) => x === `R${i}`).length).toBe(weights[i] > 0 ? 4 : 0);
    }
  });

  it('lc: overhead = active×256 + inactive, lowest wins, ties go to the first in the list', () => {
    const st = newIpvsState();
    const v = vs([['A', 1], ['B', 1], ['C', 1]], 'lc');
    const open = (ip: string, n: number, close = false) => {
      for (let i = 0; i < n; i++) {
        const real = v.reals.find((r) => r.ip === ip)!;
        openConnection(st, v, real, 0, { client: client('10.0.0.9', 1000 + i + ip.charCodeAt(0) * 100) });
        if (close) closeConnection(st, v, real, 0, client('10.0.0.9', 1000 + i + ip.charCodeAt(0) * 100));
      }
    };
    open('A', 2); // 2 active → 512
    open('B', 5, true); // 5 inactive (TIME_WAIT) → 5
    open('C', 1); // 256
    const r = schedule(st, v, client(), 0);
    expect(r.real?.ip).toBe('B');
    expect(r.table.map((x) => x.overhead)).toEqual([512, 5, 256]);
    expect(r.why.en).toBe('lc: overhead = active×256 + inactive; lowest is 5 at B:80');
    expect(schedule(newIpvsState(), v, client(), 0).why.en).toBe('lc: overhead = active×256 + inactive; lowest is 0 at A:80 (tied with 2 more: the first in the list wins)');
  });

  it('wlc / sed / nq compare overhead × weight cross products', () => {
    const st = newIpvsState();
    const v = vs([['A', 1], ['B', 3]], 'wlc');
    // A: 1 active (256/1), B: 2 active (512/3 ≈ 170.7) → B.
    openConnection(st, v, v.reals[0], 0, { client: client('10.0.0.1', 1) });
    openConnection(st, v, v.reals[1], 0, { client: client('10.0.0.1', 2) });
    openConnection(st, v, v.reals[1], 0, { client: client('10.0.0.1', 3) });
    expect(schedule(st, v, client(), 0).real?.ip).toBe('B');
    // sed: (active + 1)/weight: A 2/1, B 3/3 → B; equal ratios go to the first.
    expect(schedule(st, { ...v, scheduler: 'sed' }, client(), 0).real?.ip).toBe('B');
    const tie = vs([['A', 1], ['B', 2]], 'wlc');
    expect(schedule(newIpvsState(), tie, client(), 0).real?.ip).toBe('A');
    // nq: an idle server is taken at once, whatever its weight.
    const n = vs([['A', 5], ['B', 1]], 'nq');
    const st2 = newIpvsState();
    openConnection(st2, n, n.reals[0], 0, { client: client('10.0.0.1', 5) });
    const r = schedule(st2, n, client(), 0);
    expect(r.real?.ip).toBe('B');
    expect(r.why.en).toBe('nq: B:80 has no active connection (never queue): taken at once');
  });

  it('sh: hash_32(source, 8) indexes 256 buckets filled in list order, weight buckets each', () => {
    // hash_32(0x0AF40105, 8) = (0x0AF40105 × 0x61C88647 mod 2^32) >> 24 = 115 (worked out separately).
    expect(hash32(0x0af40105, 8)).toBe(115);
    expect(shBucket('10.244.1.5', 0)).toBe(115);
    expect(shBucket('10.244.2.7', 0)).toBe(255);
    const reals: RealServer[] = [{ ip: 'A', port: 80, weight: 2 }, { ip: 'B', port: 80, weight: 1 }];
    const t = Array.from(shTable(reals));
    expect(t.slice(0, 7)).toEqual([0, 0, 1, 0, 0, 1, 0]);
    expect([t.filter((x) => x === 0).length, t.filter((x) => x === 1).length]).toEqual([171, 85]);
    // A weight-0 real still owns one bucket (++d_count >= 0 moves on), so its clients are refused.
    const q = Array.from(shTable([{ ip: 'A', port: 80, weight: 0 }, { ip: 'B', port: 80, weight: 1 }]));
    expect(q.slice(0, 4)).toEqual([0, 1, 0, 1]);
    const v = vs([['10.244.1.2', 1], ['10.244.2.2', 1], ['10.244.3.2', 1]], 'sh');
    const st = newIpvsState();
    const r1 = schedule(st, v, client('10.244.1.5', 1), 0);
    // bucket 115 → 115 mod 3 = 1 → the second real, for every connection from that source.
    expect(r1.bucket).toBe(115);
    expect(r1.real?.ip).toBe('10.244.2.2');
    expect(r1.table.map((x) => x.hash)).toEqual([86, 85, 85]);
    expect(schedule(st, v, client('10.244.1.5', 2), 0).real?.ip).toBe('10.244.2.2');
    expect(r1.why.en).toBe('sh: hash_32(source 10.244.1.5) → bucket 115 of 256 → 10.244.2.2:80 (owns 85 of the 256 buckets; the same source always lands here)');
  });

  it('dh: hash_32(destination, 8), one bucket per real in turn: the VIP decides, not the client', () => {
    expect(dhBucket('10.96.0.1')).toBe(130);
    expect(Array.from(dhTable([{ ip: 'A', port: 80, weight: 1 }, { ip: 'B', port: 80, weight: 5 }])).slice(0, 4)).toEqual([0, 1, 0, 1]);
    const v = vs([['A', 1], ['B', 1], ['C', 1]], 'dh', { vip: '10.96.0.1' });
    expect(new Set([client('1.1.1.1'), client('2.2.2.2'), client('3.3.3.3')].map((c) => schedule(newIpvsState(), v, c, 0).real?.ip))).toEqual(new Set(['B'])); // 130 mod 3 = 1
  });

  it('mh: SipHash-1-3 with the kernel\'s fixed keys, Maglev table of 4093 slots', () => {
    // The SipHash paper's SipHash-2-4 test vector (key 00..0f, message 00..0e).
    const msg = Uint8Array.from({ length: 15 }, (_, i) => i);
    expect(siphash(msg, 0x0706050403020100n, 0x0f0e0d0c0b0a0908n).toString(16)).toBe('a129ca6149be45e5');
    const reals: RealServer[] = ['10.244.1.2', '10.244.2.2', '10.244.3.2'].map((ip) => ({ ip, port: 80, weight: 1 }));
    // Offsets and skips from an independent re-implementation of ip_vs_mh_permutate.
    expect(mhSetup(reals)).toEqual([{ offset: 4072, skip: 2775, turns: 1 }, { offset: 354, skip: 760, turns: 1 }, { offset: 3156, skip: 2837, turns: 1 }]);
    const t = Array.from(mhTable(reals));
    expect(t.length).toBe(MH_TAB_SIZE);
    expect([0, 1, 2].map((i) => t.filter((x) => x === i).length)).toEqual([1365, 1364, 1364]);
    expect(t.slice(0, 16)).toEqual([2, 1, 0, 2, 2, 0, 2, 1, 1, 0, 2, 1, 0, 2, 2, 0]);
    const v = vs(reals, 'mh');
    expect(schedule(newIpvsState(), v, client('10.244.1.5', 40000), 0)).toMatchObject({ bucket: 38, real: { ip: '10.244.3.2' } });
    // kube-proxy sets mh-port (0x10): the source port is hashed too.
    const p = schedule(newIpvsState(), { ...v, schedFlags: 0x10 }, client('10.244.1.5', 40000), 0);
    expect(p).toMatchObject({ bucket: 1451, real: { ip: '10.244.1.2' } });
    expect(p.why.en).toContain('mh-port');
  });

  it('every scheduler only ever returns a real server with weight > 0 (property)', () => {
    const rng = createRng('ipvs-property');
    for (const scheduler of ['rr', 'wrr', 'lc', 'wlc', 'sed', 'nq', 'sh', 'dh', 'mh']) {
      for (let t = 0; t < 40; t++) {
        const n = 1 + rng.int(5);
        const v = vs(Array.from({ length: n }, (_, i) => [`10.244.${i}.${1 + rng.int(200)}`, rng.int(4)] as [string, number]), scheduler);
        const st = newIpvsState();
        for (let k = 0; k < 30; k++) {
          const c = client(`10.${rng.int(256)}.${rng.int(256)}.${rng.int(256)}`, 1024 + rng.int(60000));
          const r = schedule(st, v, c, k * 1000);
          if (r.real) {
            expect(r.real.weight, `${scheduler} ${JSON.stringify(v.reals)}`).toBeGreaterThan(0);
            if (rng.next() < 0.7) openConnection(st, v, r.real, k * 1000, { client: c });
          } else expect(r.why.en).toContain('ICMP port unreachable');
        }
      }
    }
  });
});

describe('connections, counters, persistence', () => {
  it('TCP: active while established, inactive in TIME_WAIT until it expires (120 s)', () => {
    const st = newIpvsState();
    const v = vs([['10.244.1.2', 1]]);
    const r = v.reals[0];
    openConnection(st, v, r, 0, { client: client() });
    expect(realCounters(st, v, r, 0)).toEqual({ active: 1, inactive: 0, persist: 0 });
    closeConnection(st, v, r, 1000, client());
    expect(realCounters(st, v, r, 1000)).toEqual({ active: 0, inactive: 1, persist: 0 });
    expect(realCounters(st, v, r, 120_999)).toEqual({ active: 0, inactive: 1, persist: 0 });
    expire(st, 121_000);
    expect(realCounters(st, v, r, 121_000)).toEqual({ active: 0, inactive: 0, persist: 0 });
    const u = { ...v, proto: 'UDP' as const, vip: '10.96.0.10', port: 53 };
    openConnection(st, u, u.reals[0], 0, { client: client() });
    expect(realCounters(st, u, u.reals[0], 299_000)).toMatchObject({ active: 0, inactive: 1 });
    expect(realCounters(st, u, u.reals[0], 300_000)).toMatchObject({ inactive: 0 });
  });

  it('persistence (sessionAffinity ClientIP): the template wins over the scheduler until it expires', () => {
    const st = newIpvsState();
    const v = vs([['A', 1], ['B', 1]], 'rr', { persistentTimeout: 10800 });
    const first = schedule(st, v, client('10.244.1.5', 1), 0);
    expect(first.real?.ip).toBe('A');
    expect(first.why.en).toContain('new persistence template for 10.244.1.5, 10800 s');
    openConnection(st, v, first.real!, 0, { client: client('10.244.1.5', 1) });
    for (let i = 2; i < 6; i++) {
      const r = schedule(st, v, client('10.244.1.5', i), 1000 * i);
      expect(r).toMatchObject({ persistent: true, real: { ip: 'A' } });
      openConnection(st, v, r.real!, 1000 * i, { client: client('10.244.1.5', i) });
      closeConnection(st, v, r.real!, 1000 * i, client('10.244.1.5', i));
    }
    expect(realCounters(st, v, v.reals[0], 6000).persist).toBe(1);
    // Another client goes through rr (which moved on only once).
    expect(schedule(st, v, client('10.244.2.9', 1), 6000).real?.ip).toBe('B');
    // The template was re-armed at the last use (5 s): gone 10800 s later, once its connections are.
    expect(schedule(st, v, client('10.244.1.5', 9), 5000 + 10800 * 1000 + 1).persistent).toBeUndefined();
    // A quiesced real (weight 0) loses its clients (expire_quiescent_template = 1).
    const st2 = newIpvsState();
    openConnection(st2, v, v.reals[0], 0, { client: client('10.244.1.5', 1) });
    const q = { ...v, reals: [{ ...v.reals[0], weight: 0 }, v.reals[1]] };
    expect(schedule(st2, q, client('10.244.1.5', 2), 1000)).toMatchObject({ real: { ip: 'B' } });
  });

  it('a template outlives its timeout while a connection it controls is alive (re-armed)', () => {
    const st = newIpvsState();
    const v = vs([['A', 1], ['B', 1]], 'rr', { persistentTimeout: 60 });
    openConnection(st, v, v.reals[0], 0, { client: client('10.244.1.5', 1) }); // ESTABLISHED for 900 s
    expect(schedule(st, v, client('10.244.1.5', 2), 61_000)).toMatchObject({ persistent: true, real: { ip: 'A' } });
    expect(schedule(st, v, client('10.244.1.5', 3), 901_000).persistent).toBeUndefined();
  });

  it('100,000 connections stay fast (indexed connection table)', () => {
    const st = newIpvsState();
    const v = vs([['A', 1], ['B', 2], ['C', 3]], 'wlc');
    const t0 = performance.now();
    for (let i = 0; i < 100_000; i++) {
      const c = client(`10.244.${(i >> 16) & 255}.${(i >> 8) & 255}`, 1024 + (i & 255));
      const r = schedule(st, v, c, i);
      openConnection(st, v, r.real!, i, { client: c });
      closeConnection(st, v, r.real!, i, c);
    }
    expect(performance.now() - t0).toBeLessThan(10_000);
    const total = v.reals.map((r) => realCounters(st, v, r, 100_000).inactive);
    expect(total.reduce((a, b) => a + b, 0)).toBe(100_000);
    // wlc with weights 1:2:3 and equal lifetimes spreads in proportion to the weights.
    expect(total.map((n) => Math.round(n / 1000))).toEqual([17, 33, 50]);
    // One client reusing 100 source ports: each reuse replaces its entry.
    const st2 = newIpvsState();
    for (let i = 0; i < 50_000; i++) {
      const c = client('10.244.1.9', 40000 + (i % 100));
      const r = schedule(st2, v, c, i);
      openConnection(st2, v, r.real!, i, { client: c });
    }
    expect(st2.conns.length).toBe(100);
    expect(v.reals.reduce((n, r) => n + realCounters(st2, v, r, 50_000).active, 0)).toBe(100);
  });

  it('--stats counters and the --rate estimator (2 s ticks, avg += (rate − avg) >> 2)', () => {
    const st = newIpvsState();
    const v = vs([['A', 1]]);
    for (let i = 0; i < 10; i++) openConnection(st, v, v.reals[0], 500 + i, { client: client('10.0.0.1', i) });
    const s = vsState(st, v).stats;
    expect([s.conns, s.inpkts, s.inbytes]).toEqual([10, 10, 600]);
    // At the 2 s tick: cps avg = 10 × 512 / 4 = 1280 → (1280 + 511) >> 10 = 1; InBPS avg = 600 × 16 / 4 = 2400 → (2400 + 15) >> 5 = 75.
    expect(readRates(s, 2000)).toEqual([1, 1, 0, 75, 0]);
    // With nothing new the average decays by a quarter per tick: 960, 720, 540 (still 1 cps), 405 → 0.
    expect(readRates(s, 8000)[0]).toBe(1);
    expect(readRates(s, 10000)[0]).toBe(0);
  });
});

// -----------------------------------------------------------------------------------------
// What kube-proxy's IPVS mode puts on a node.

function run(sim: Simulation, node: string, commands: string[]): string {
  return commands.map((c) => {
    const r = sim.exec(c, { kind: 'node', node });
    return `[${node}]$ ${c}\n${r.stdout}${r.stderr ? `[stderr]\n${r.stderr}` : ''}${r.exitCode ? `[exit ${r.exitCode}]\n` : ''}`;
  }).join('\n');
}

describe('kube-proxy IPVS mode on a node', () => {
  it('A7: my-service (2 nginx pods) in ipvsadm -Ln on the kubeasz lab, rr, Masq, weight 1 (golden)', async () => {
    const sim = Simulation.load([cluster('part-a-kubeasz'), course('01'), course('02')]);
    const out = run(sim, '192.168.122.11', ['ipvsadm -Ln', 'ipvsadm -L -n -t 10.2.11.22:80', "kubectl patch svc my-service -p '{\"spec\":{\"sessionAffinity\":\"ClientIP\"}}'", 'ipvsadm -Ln -t 10.2.11.22:80', 'ipvsadm -S -n']);
    await expect(out).toMatchFileSnapshot(G('a7-ipvsadm-ln.txt'));
    const lines = out.split('\n');
    // ipvsadm 1.31: "%-4s %s" service lines, "  -> %-28s %-7s %-6d %-10u %-10u\n" real-server lines (trailing spaces).
    expect(lines).toContain('TCP  10.2.11.22:80 rr');
    expect(lines).toContain('  -> 10.3.2.3:80                  Masq    1      0          0         ');
    expect(lines).toContain('TCP  10.2.11.22:80 rr persistent 10800');
    expect(lines.slice(1, 4)).toEqual(['IP Virtual Server version 1.2.1 (size=4096)', 'Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn']);
  });

  it('B4: every ClusterIP is a /32 on kube-ipvs0 and a virtual server (golden)', async () => {
    const sim = load([course('12')], { proxyMode: 'ipvs' });
    const out = run(sim, 'node1', ['kubectl get svc', 'ipvsadm -L -n', 'ip a s', 'ip route', 'ip route show table local']);
    await expect(out).toMatchFileSnapshot(G('b4-ipvs-mode.txt'));
    const ipa = sim.exec('ip a s kube-ipvs0', { kind: 'node', node: 'node1' }).stdout;
    for (const s of sim.snapshot().services) expect(ipa).toContain(`    inet ${s.spec!.clusterIP}/32 scope global kube-ipvs0\n`);
    expect(ipa.split('\n')[0]).toMatch(/^\d+: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default $/);
  });

  it('E7: the MetalLB address is bound to kube-ipvs0 on every node (golden)', async () => {
    const sim = load([course('35'), course('44'), course('45')], { proxyMode: 'ipvs' });
    const nodes = sim.snapshot().nodes.map((n) => n.metadata.name);
    const out = nodes.map((n) => run(sim, n, ['ip addr show dev kube-ipvs0'])).join('\n') + '\n' + run(sim, 'node2', ['ipvsadm -Ln']);
    await expect(out).toMatchFileSnapshot(G('e7-metallb-kube-ipvs0.txt'));
    for (const n of nodes) {
      expect(sim.exec('ip a s kube-ipvs0', { kind: 'node', node: n }).stdout).toContain('    inet 192.168.122.111/32 scope global kube-ipvs0\n');
      expect(sim.exec('ipvsadm -Ln -t 192.168.122.111:80', { kind: 'node', node: n }).exitCode).toBe(0);
    }
  });

  it('NodePort: one VS per node address; ipvsadm\'s wrapping address comparison lists 192.168.x before 10.x (golden)', async () => {
    const sim = load([course('13')], { proxyMode: 'ipvs' });
    const out = run(sim, 'node1', ['ipvsadm -Ln', 'ipset list KUBE-CLUSTER-IP', 'ipset list KUBE-NODE-PORT-TCP', 'ipset -L -n']);
    await expect(out).toMatchFileSnapshot(G('nodeport-ipset.txt'));
    const services = sim.exec('ipvsadm -Ln', { kind: 'node', node: 'node1' }).stdout.split('\n').filter((l) => /^(TCP|UDP) /.test(l)).map((l) => l.split(' ').filter(Boolean)[1]);
    expect(services).toEqual(['192.168.122.11:32000', '10.96.0.1:443', '10.96.0.10:53', '10.96.0.10:9153', '10.106.167.230:80', '10.244.1.0:32000', '10.244.1.1:32000', '10.96.0.10:53']);
  });

  it('ipvsadm sorting is glibc\'s merge sort over the wrapping comparison', () => {
    const mk = (vip: string) => vs([], 'rr', { vip });
    const sorted = msort(['10.96.0.10', '172.17.0.1', '10.244.235.192', '10.110.221.168', '10.96.0.1', '10.10.110.190'].map(mk), compareServices).map((v) => v.vip);
    // The real v1.20 dump of the reference: 172.17.0.1 and 10.10.110.190 before 10.96.0.1; 10.244.235.192 after 10.110.221.168.
    expect(sorted).toEqual(['172.17.0.1', '10.10.110.190', '10.96.0.1', '10.96.0.10', '10.110.221.168', '10.244.235.192']);
  });

  it('iptables-save in IPVS mode, current and v1.23 layouts (golden)', async () => {
    for (const version of ['1.31', '1.23']) {
      const sim = load([course('35'), course('44'), course('45'), course('13')], { proxyMode: 'ipvs', kubeProxyVersion: version });
      await expect(run(sim, 'node1', ['iptables-save', 'iptables -t nat -S KUBE-SERVICES'])).toMatchFileSnapshot(G(`iptables-save-v${version}.txt`));
    }
    const sim = load([course('35'), course('44'), course('45'), course('13')], { proxyMode: 'ipvs' });
    const nat = sim.exec('iptables -t nat -S', { kind: 'node', node: 'node1' }).stdout.split('\n');
    for (const l of [
      '-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN',
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service lb portal" -m set --match-set KUBE-LOAD-BALANCER dst,dst -j KUBE-LOAD-BALANCER',
      '-A KUBE-SERVICES ! -s 10.244.0.0/16 -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ',
      '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ',
      '-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT',
      '-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT',
      '-A KUBE-SERVICES -m set --match-set KUBE-LOAD-BALANCER dst,dst -j ACCEPT',
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ]) expect(nat).toContain(l);
    expect(nat.filter((l) => l.startsWith('-A KUBE-SERVICES')).at(-1)).toBe('-A KUBE-SERVICES -m set --match-set KUBE-LOAD-BALANCER dst,dst -j ACCEPT');
    expect(nat.some((l) => l.includes('KUBE-SVC-'))).toBe(false);
  });

  it('the model: virtual servers, traffic policies, ipset membership', () => {
    const sim = load([course('35'), course('44'), course('45')], { proxyMode: 'ipvs' });
    const m = kubeProxyIpvs(sim.snapshot(), 'node1')!;
    const lb = m.virtualServers.find((v) => v.kind === 'loadBalancer')!;
    expect(lb).toMatchObject({ vip: '192.168.122.111', port: 80, scheduler: 'rr', service: 'default/nginxlb', servicePort: 'http' });
    expect(lb.reals.length).toBe(3);
    expect(m.nodeAddresses).toEqual(['192.168.122.11', '10.244.1.0', '10.244.1.1']);
    const pkt = (dst: string, dport: number) => ({ proto: 'tcp' as const, src: '10.244.1.9', sport: 5555, dst, dport, mark: 0 });
    expect(ipsetHas(m.ipsets, 'KUBE-LOAD-BALANCER', pkt('192.168.122.111', 80), 'dst,dst')).toBe(true);
    expect(ipsetHas(m.ipsets, 'KUBE-LOAD-BALANCER', pkt('192.168.122.111', 81), 'dst,dst')).toBe(false);
    expect(ipsetHas(m.ipsets, 'KUBE-IPVS-IPS', pkt('192.168.122.111', 22), 'dst')).toBe(true);
    // ITP=Local with no local endpoint and no external access: the ClusterIP VS has no reals.
    const local = load([course('35'), yamlService('svc-local', 'internalTrafficPolicy: Local')], { proxyMode: 'ipvs' });
    const snap = local.snapshot();
    const onMaster = kubeProxyIpvs(snap, 'master')!.virtualServers.find((v) => v.service === 'default/svc-local')!;
    expect(onMaster.reals).toEqual([]);
    const onNode1 = kubeProxyIpvs(snap, 'node1')!.virtualServers.find((v) => v.service === 'default/svc-local')!;
    expect(onNode1.reals.length).toBe(1);
    // mh: kube-proxy sets the mh-port flag, ipvsadm shows it.
    const mh = load([course('12'), { name: 'kp.yaml', text: 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nipvs:\n  scheduler: mh\n' }]);
    expect(mh.exec('ipvsadm -Ln', { kind: 'node', node: 'node1' }).stdout).toContain('TCP  10.96.0.1:443 mh (mh-port)\n');
  });

  it('ipvsadm reads the node\'s kernel state: counters, --stats, -c, graceful termination (golden)', async () => {
    const sim = load([course('12')], { proxyMode: 'ipvs' });
    const snap = sim.snapshot();
    const model = kubeProxyIpvs(snap, 'node1')!;
    const state = newIpvsState();
    const web = model.virtualServers.find((v) => v.service === 'default/demoapp-svc' && v.kind === 'clusterIP')!;
    let now = Date.parse('2025-06-01T08:00:00Z');
    for (let i = 0; i < 4; i++) {
      const c = client('10.244.1.9', 40000 + i);
      const r = schedule(state, web, c, now);
      openConnection(state, web, r.real!, now, { client: c, packets: { inPkts: 6, outPkts: 5, inBytes: 420, outBytes: 1580 } });
      if (i < 3) closeConnection(state, web, r.real!, now + 10, c);
      now += 1000;
    }
    const api = fixtureApi(snap, () => ({ model: kubeProxyIpvs(snap, 'node1', { state, now })!, state, now }));
    const sh = (c: string) => { const r = runCommandLine(c, { api, where: { kind: 'node', node: 'node1' } }); return `$ ${c}\n${r.stdout}${r.stderr}`; };
    const out = ['ipvsadm -Ln -t 10.106.167.230:80', 'ipvsadm -Ln --stats -t 10.106.167.230:80', 'ipvsadm -Ln --rate -t 10.106.167.230:80', 'ipvsadm -Lnc', 'ipvsadm -Ln --persistent-conn -t 10.106.167.230:80'].map(sh).join('\n');
    await expect(out).toMatchFileSnapshot(G('counters.txt'));
    expect(out).toContain('  -> 10.244.1.2:80                Masq    1      1          1         \n');
    expect(out).toContain('  -> 10.244.2.2:80                Masq    1      0          1         \n');
    // The endpoint 10.244.2.2 goes away while its TIME_WAIT entry lives: weight 0 until it expires.
    const gone = { ...snap, endpointSlices: snap.endpointSlices.map((s) => ({ ...s, endpoints: s.endpoints?.filter((e) => e.addresses?.[0] !== '10.244.2.2') })) };
    const m2 = kubeProxyIpvs(gone, 'node1', { state, now })!;
    expect(m2.virtualServers.find((v) => v.vip === web.vip)!.reals.map((r) => `${r.ip}/${r.weight}`)).toEqual(['10.244.1.2/1', '10.244.3.2/1', '10.244.2.2/0']);
    const later = kubeProxyIpvs(gone, 'node1', { state, now: now + 200_000 })!;
    expect(later.virtualServers.find((v) => v.vip === web.vip)!.reals.map((r) => r.ip)).toEqual(['10.244.1.2', '10.244.3.2']);
  });

  it('ipvsadm in iptables mode shows an empty table; ipvsadm is a node tool', () => {
    const sim = load([course('12')]);
    expect(sim.exec('ipvsadm -Ln', { kind: 'node', node: 'node1' }).stdout).toBe('IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n');
    expect(sim.exec('ip a s kube-ipvs0', { kind: 'node', node: 'node1' })).toMatchObject({ exitCode: 1, stderr: 'Device "kube-ipvs0" does not exist.\n' });
    const ipvs = load([course('12')], { proxyMode: 'ipvs' });
    expect(ipvs.exec('ipvsadm -Ln -t 10.9.9.9:80', { kind: 'node', node: 'node1' })).toMatchObject({ exitCode: 1, stderr: 'No such service\n' });
    expect(ipvs.exec('ipvsadm -Ln | grep -c "^TCP"', { kind: 'node', node: 'node1' }).stdout).toBe('4\n');
  });
});

function yamlService(name: string, extra: string) {
  return {
    name: `${name}.yaml`,
    text: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  ${extra}\n  selector:\n    app: nginx-deployment\n  ports:\n  - port: 80\n`,
  };
}

function fixtureApi(snap: ReturnType<Simulation['snapshot']>, ipvs: ClusterApi['ipvs']): ClusterApi {
  const no = () => ({ ok: false, error: 'read-only fixture' });
  return { snapshot: () => snap, create: no, patch: no, scale: no, delete: no, netfilter: () => undefined, ipvs };
}
