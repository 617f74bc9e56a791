// What is left in iptables on a node whose kube-proxy runs in nftables mode: kube-proxy
// itself writes nothing there, but the kubelet (v1.28+, pkg/kubelet/kubelet_network_linux.go)
// still creates, for IPv4 and IPv6, the KUBE-IPTABLES-HINT chain (mangle) and its
// KUBE-KUBELET-CANARY chains (mangle, nat, filter), and for IPv4 the KUBE-FIREWALL chain with
// the "block incoming localnet connections" rule, jumped to from INPUT and OUTPUT.
// (The CNI's own iptables rules — flannel's FLANNEL-POSTRTG/FLANNEL-FWD — are not simulated,
// as in iptables mode.)
//
// With iptables-nft those chains live in nftables tables, so `nft list ruleset` shows them;
// their nft form below is what nft 1.0.6 prints for them (checked in a network namespace:
// tests/kernel/nftables-conformance.test.ts). The `-m comment` is not shown by nft, and the
// negated `--ctstate … DNAT` match prints, lossily, as ` ct status dnat`.
import type { Ruleset, Table } from '../../netfilter/ruleset';
import { emptyTable, ensureChain } from '../../netfilter/ruleset';
import type { NftTable } from '../../nftables/model';
import { comment, ctstate, drop, jump, rule, textRule } from '../iptables/build';

/** The iptables tables (for iptables-save / iptables -L on an nftables-mode node). */
export function kubeletIptables(): Ruleset {
  const kl = { writer: 'kubelet' as const };
  const mangle = emptyTable('mangle');
  ensureChain(mangle, 'KUBE-IPTABLES-HINT');
  ensureChain(mangle, 'KUBE-KUBELET-CANARY');
  const filter = emptyTable('filter');
  ensureChain(filter, 'KUBE-FIREWALL').rules.push(textRule(rule({
    notSrc: '127.0.0.0/8', dst: '127.0.0.0/8',
    matches: [comment('block incoming localnet connections'), ctstate('RELATED,ESTABLISHED,DNAT', true)], target: drop(), origin: kl,
  })));
  ensureChain(filter, 'INPUT').rules.push(textRule(rule({ target: jump('KUBE-FIREWALL'), origin: kl })));
  ensureChain(filter, 'OUTPUT').rules.push(textRule(rule({ target: jump('KUBE-FIREWALL'), origin: kl })));
  ensureChain(filter, 'KUBE-KUBELET-CANARY');
  const nat: Table = emptyTable('nat');
  ensureChain(nat, 'KUBE-KUBELET-CANARY');
  return { tables: [mangle, filter, nat] };
}

const WARNING = (family: string, name: string) => `# Warning: table ${family} ${name} is managed by iptables-nft, do not touch!\n`;

/**
 * The same chains as nftables tables, in the order the kubelet creates them: IPv4 mangle and
 * filter (syncIPTablesRules), IPv6 mangle, then the canary chains' nat (IPv4), nat and filter
 * (IPv6). Base chains exist only where a rule needed them (iptables-nft creates them lazily).
 */
export function kubeletNftTables(): NftTable[] {
  const t = (family: 'ip' | 'ip6', name: string, handle: number, chains: NftTable['chains'], warn = false): NftTable => ({
    family, name, handle, chains, sets: [], maps: [], ...(warn ? { listWarning: WARNING(family, name) } : {}),
  });
  const kl = { writer: 'kubelet' as const };
  return [
    t('ip', 'mangle', 1, [{ name: 'KUBE-IPTABLES-HINT', handle: 1, rules: [] }, { name: 'KUBE-KUBELET-CANARY', handle: 2, rules: [] }]),
    t('ip', 'filter', 2, [
      { name: 'KUBE-FIREWALL', handle: 1, rules: [{ text: 'ip saddr != 127.0.0.0/8 ip daddr 127.0.0.0/8  ct status dnat counter packets 0 bytes 0 drop', handle: 6, origin: kl, compat: true }] },
      { name: 'OUTPUT', handle: 2, base: { type: 'filter', hook: 'output', priority: 0, policy: 'accept' }, rules: [{ text: 'counter packets 0 bytes 0 jump KUBE-FIREWALL', handle: 3, origin: kl }] },
      { name: 'INPUT', handle: 4, base: { type: 'filter', hook: 'input', priority: 0, policy: 'accept' }, rules: [{ text: 'counter packets 0 bytes 0 jump KUBE-FIREWALL', handle: 5, origin: kl }] },
      { name: 'KUBE-KUBELET-CANARY', handle: 7, rules: [] },
    ], true),
    t('ip6', 'mangle', 3, [{ name: 'KUBE-IPTABLES-HINT', handle: 1, rules: [] }, { name: 'KUBE-KUBELET-CANARY', handle: 2, rules: [] }]),
    t('ip', 'nat', 4, [{ name: 'KUBE-KUBELET-CANARY', handle: 1, rules: [] }]),
    t('ip6', 'nat', 5, [{ name: 'KUBE-KUBELET-CANARY', handle: 1, rules: [] }]),
    t('ip6', 'filter', 6, [{ name: 'KUBE-KUBELET-CANARY', handle: 1, rules: [] }]),
  ];
}

/** The commands that make the kubelet's chains with iptables-nft (for the conformance test). */
export const KUBELET_IPTABLES_COMMANDS: string[][] = [
  ['iptables', '-t', 'mangle', '-N', 'KUBE-IPTABLES-HINT'],
  ['iptables', '-t', 'filter', '-N', 'KUBE-FIREWALL'],
  ['iptables', '-t', 'filter', '-I', 'OUTPUT', '-j', 'KUBE-FIREWALL'],
  ['iptables', '-t', 'filter', '-I', 'INPUT', '-j', 'KUBE-FIREWALL'],
  ['iptables', '-t', 'filter', '-A', 'KUBE-FIREWALL', '-m', 'comment', '--comment', 'block incoming localnet connections', '--dst', '127.0.0.0/8', '!', '--src', '127.0.0.0/8', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP'],
  ['ip6tables', '-t', 'mangle', '-N', 'KUBE-IPTABLES-HINT'],
  ['iptables', '-t', 'mangle', '-N', 'KUBE-KUBELET-CANARY'],
  ['iptables', '-t', 'nat', '-N', 'KUBE-KUBELET-CANARY'],
  ['iptables', '-t', 'filter', '-N', 'KUBE-KUBELET-CANARY'],
  ['ip6tables', '-t', 'mangle', '-N', 'KUBE-KUBELET-CANARY'],
  ['ip6tables', '-t', 'nat', '-N', 'KUBE-KUBELET-CANARY'],
  ['ip6tables', '-t', 'filter', '-N', 'KUBE-KUBELET-CANARY'],
];
