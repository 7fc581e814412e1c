/*
 * hints.c: flag identifier and artefact features in a distilled tree.
 * Names are matched by words ("Src Port", "dst_port", "srcPort" all give
 * the words src + port), never by substrings, so "Report" or "Transport
 * Bytes" are not mistaken for ports.
 */
#include "hints.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "prune.h"
#include "util.h"

#define MAX_WORDS 16

static size_t split_words(const char *name, char words[MAX_WORDS][32])
{
	size_t n = 0, len = 0;
	int prev_lower = 0;

	for (const char *p = name;; p++) {
		int c = (unsigned char)*p;
		int boundary = !c || !isalnum(c) || (prev_lower && isupper(c));

		if (boundary && len) {
			words[n][len] = 0;
			if (++n == MAX_WORDS)
				return n;
			len = 0;
		}
		if (!c)
			break;
		if (isalnum(c) && len < 31)
			words[n][len++] = (char)tolower(c);
		prev_lower = islower(c) || isdigit(c);
	}
	return n;
}

static int has(char w[MAX_WORDS][32], size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(w[i], s))
			return 1;
	return 0;
}

static int has_any(char w[MAX_WORDS][32], size_t n, const char *const *list)
{
	for (; *list; list++)
		if (has(w, n, *list))
			return 1;
	return 0;
}

const char *hints_classify(const char *name)
{
	static const char *const proto[] = { "protocol", "proto", NULL };
	static const char *const port[] = { "port", "sport", "dport", "srcport", "dstport", NULL };
	static const char *const addr[] = { "ip", "addr", "address", "mac", "ipv4", "ipv6", "saddr",
					    "daddr", "srcip", "dstip", "srcaddr", "dstaddr", NULL };
	static const char *const time[] = { "timestamp", "time", "date", "datetime", "epoch", NULL };
	static const char *const ttl[] = { "ttl", "initwin", "hoplimit", NULL };
	char w[MAX_WORDS][32];
	size_t n = split_words(name, w);

	if (has_any(w, n, proto))
		return "protocol identifier";
	if (has_any(w, n, port))
		return "port number";
	if (has(w, n, "flowid") || (has(w, n, "flow") && has(w, n, "id")) || (n == 1 && has(w, n, "id")))
		return "flow identifier";
	if (has_any(w, n, time))
		return "timestamp";
	if (has_any(w, n, ttl) || (has(w, n, "hop") && has(w, n, "limit")) ||
	    (has(w, n, "init") && (has(w, n, "win") || has(w, n, "window"))))
		return "TTL-like constant";
	if (has_any(w, n, addr))
		return "address";
	return NULL;
}

static const char *article(const char *kind)
{
	return strchr("aeiouAEIOU", kind[0]) ? "an" : "a";
}

size_t hints_find(const tree *t, const char *const *names, size_t n_features, size_t top_k,
		  hint **out)
{
	prune_branch *b;
	size_t nb, nh = 0;
	double root, split_total = 0, *cover, *split;
	hint *h;
	int32_t rootf = -1;

	*out = NULL;
	if (!t->n_nodes || t->nodes[0].left == TREE_LEAF || !n_features)
		return 0;
	root = t->nodes[0].weighted > 0 ? t->nodes[0].weighted : 1;
	rootf = t->nodes[0].feature;
	cover = xcalloc(n_features, sizeof(*cover));
	split = xcalloc(n_features, sizeof(*split));
	h = xcalloc(n_features + 1, sizeof(*h));

	nb = prune_branches(t, &b);
	prune_sort_branches(b, nb);
	for (size_t i = 0; i < nb && i < top_k; i++) {
		unsigned char *seen = xcalloc(n_features, 1);

		for (size_t j = 0; j < b[i].len; j++) {
			int32_t f = t->nodes[b[i].path[j]].feature;

			if (f >= 0 && (size_t)f < n_features && !seen[f]) {
				seen[f] = 1;
				cover[f] += b[i].samples / root;
			}
		}
		free(seen);
	}
	for (size_t i = 0; i < t->n_nodes; i++) {
		const tree_node *nd = &t->nodes[i];

		if (nd->left == TREE_LEAF || nd->feature < 0 || (size_t)nd->feature >= n_features)
			continue;
		split[nd->feature] += nd->weighted;
		split_total += nd->weighted;
	}
	if (split_total > 0)
		for (size_t f = 0; f < n_features; f++)
			split[f] /= split_total;

	/* root split first, then the other flagged features by coverage */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t f = 0; f < n_features; f++) {
			const char *kind = hints_classify(names[f]);
			int is_root = (int32_t)f == rootf;
			hint *x;

			if ((pass == 0) != is_root)
				continue;
			if (!kind && split[f] <= 0.5)
				continue;
			if (!is_root && cover[f] <= 0 && split[f] <= 0.5)
				continue;
			x = &h[nh++];
			x->feature = (int32_t)f;
			x->kind = kind ? kind : "dominant feature";
			x->where = is_root ? "root split" : cover[f] > 0 ? "top branches" : "split samples";
			x->share = cover[f];
			x->split_share = split[f];
			if (is_root) {
				const tree_node *r = &t->nodes[0];

				x->root_share = 0;
				if (t->nodes[r->left].left == TREE_LEAF)
					x->root_share += t->nodes[r->left].weighted / root;
				if (t->nodes[r->right].left == TREE_LEAF)
					x->root_share += t->nodes[r->right].weighted / root;
			}
			if (kind && is_root)
				x->message = xasprintf(
					"the root split tests '%s', which looks like %s %s: every rule starts with "
					"it, the split alone decides %.1f%% of the samples, and the top branches "
					"hold %.1f%%. The model may key on how the data was captured rather than "
					"on the behaviour: a hint to check, not a verdict",
					names[f], article(kind), kind, 100 * x->root_share, 100 * x->share);
			else if (kind)
				x->message = xasprintf(
					"the top branches test '%s', which looks like %s %s; those branches hold "
					"%.1f%% of the samples. A hint to check, not a verdict",
					names[f], article(kind), kind, 100 * x->share);
			else
				x->message = xasprintf(
					"'%s' carries %.1f%% of the split samples of the tree%s; the model may "
					"rest on this single feature. A hint to check, not a verdict",
					names[f], 100 * x->split_share, is_root ? " and is the root split" : "");
		}
	}
	/* order of pass 1: by coverage, largest first (stable for equal shares) */
	size_t first = nh && h[0].feature == rootf ? 1 : 0;

	for (size_t i = first + 1; i < nh; i++)
		for (size_t j = i; j > first && h[j].share > h[j - 1].share; j--) {
			hint tmp = h[j];

			h[j] = h[j - 1];
			h[j - 1] = tmp;
		}
	prune_branches_free(b, nb);
	free(cover);
	free(split);
	if (!nh) {
		free(h);
		return 0;
	}
	*out = h;
	return nh;
}

void hints_free(hint *h, size_t n)
{
	if (!h)
		return;
	for (size_t i = 0; i < n; i++)
		free(h[i].message);
	free(h);
}
