/*
 * hints.h: shortcut hints. A distilled tree whose root split or top branches
 * test an identifier or a capture artefact (protocol number, ports,
 * addresses, flow ids, timestamps, TTL-like constants), or that rests on a
 * single feature, suggests the model learned a shortcut. These are hints for
 * a person to check, not verdicts.
 */
#ifndef HINTS_H
#define HINTS_H

#include <stddef.h>
#include <stdint.h>

#include "tree.h"

/* What a feature name looks like; NULL when it looks like a measurement. */
const char *hints_classify(const char *name);

typedef struct hint {
	int32_t feature;
	const char *kind;	/* "protocol identifier", ..., or "dominant feature" */
	const char *where;	/* "root split", "top branches" or "split samples" */
	double share;		/* share of samples decided by rules that test the feature */
	double root_share;	/* share decided by the root split alone (root feature only) */
	double split_share;	/* share of the tree's split samples on this feature */
	char *message;		/* one sentence for people */
} hint;

/*
 * Hints for tree t (the pruned explanation), looking at its root split and
 * its top_k branches. names index t's features. Returns the count and a new
 * array in *out (hints_free).
 */
size_t hints_find(const tree *t, const char *const *names, size_t n_features, size_t top_k,
		  hint **out);
void hints_free(hint *h, size_t n);

#endif
