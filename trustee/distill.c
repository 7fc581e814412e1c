/*
 * distill.c: the Trustee loop.
 *
 * Reproducibility independent of --threads: every random draw comes from a
 * stream derived from the master seed and the iteration number
 * (rng_derive), and the draws of D are made sequentially in iteration order.
 * With --aggregate all (Trustee's code) or none, the rows an iteration adds
 * to D do not depend on its student, so the draws of a batch of iterations
 * are planned first and their students grown in parallel; results are then
 * folded in iteration order (first best reward wins ties, as in Trustee).
 * With --aggregate misclassified the next draw depends on the student, so
 * iterations run one at a time.
 */
#include "distill.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "prune.h"
#include "report.h"
#include "util.h"

void distill_opts_default(distill_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->stability_iter = 5;
	o->iter = 50;
	o->train_size = 0.7;
	o->samples = 2000;
	o->samples_frac = 0;
	o->top_k = 10;
	o->max_impurity = 0.1;
	o->aggregate = DISTILL_AGG_ALL;
	o->threads = 1;
	o->seed = 0;
}

size_t distill_train_count(size_t n, double ts)
{
	double v = floor(ts * (double)n);

	if (v < 0)
		return 0;
	if (v > (double)n)
		return n;
	return (size_t)v;
}

void distill_predict(const tree *t, const float *X, size_t n_rows, const uint32_t *rows, size_t n,
		     int32_t *out)
{
	for (size_t i = 0; i < n; i++) {
		size_t r = rows ? rows[i] : i;

		out[i] = tree_node_class(t, tree_apply_col(t, X, n_rows, r));
	}
}

/* One iteration's draw and, after fitting, its outcome. */
struct plan {
	int it;
	uint32_t *train, *test;	/* data row ids (with repeats) */
	size_t n_train, n_test;
	uint64_t seed;
	tree *student;
	double reward;
	uint32_t *wrong;	/* misclassified held-out rows (aggregate=misclassified) */
	size_t n_wrong;
};

struct worker {
	const distill_data *d;
	distill_fit_fn fit;
	void *ctx;
	int collect_wrong;
	struct plan *plans;
	size_t n_plans;
	size_t *next;		/* shared: the next plan to fit (atomic) */
	double *w;		/* per worker, n_rows: the fit's weights (rewritten for each fit) */
	uint32_t *cnt;		/* per worker, n_rows, all zero between fits: times a row is drawn */
	uint32_t *rows;		/* per worker, n_rows */
	int32_t *pred, *truth;	/* per worker, max n_test */
	pthread_t th;
};

static void fit_one(struct worker *wk, struct plan *p)
{
	const distill_data *d = wk->d;
	size_t n = 0;

	for (size_t i = 0; i < p->n_train; i++)
		wk->cnt[p->train[i]]++;
	/* the drawn rows in increasing order and every weight, in one pass
	 * without a branch on the data (about half of the rows are drawn, in no
	 * pattern) */
	for (size_t i = 0; i < d->n_rows; i++) {
		uint32_t c = wk->cnt[i];

		wk->rows[n] = (uint32_t)i;
		n += c != 0;
		wk->w[i] = (double)c;
		wk->cnt[i] = 0;
	}
	p->student = wk->fit(wk->ctx, wk->rows, n, wk->w, d->expert, p->seed);

	distill_predict(p->student, d->X, d->n_rows, p->test, p->n_test, wk->pred);
	for (size_t i = 0; i < p->n_test; i++)
		wk->truth[i] = d->expert[p->test[i]];
	p->reward = report_macro_f1(wk->truth, wk->pred, p->n_test, d->n_classes);
	if (wk->collect_wrong) {
		p->wrong = xreallocarray(NULL, p->n_test ? p->n_test : 1, sizeof(*p->wrong));
		p->n_wrong = 0;
		for (size_t i = 0; i < p->n_test; i++)
			if (wk->pred[i] != wk->truth[i])
				p->wrong[p->n_wrong++] = p->test[i];
	}
}

static void *worker_main(void *arg)
{
	struct worker *wk = arg;

	for (;;) {
		size_t i = __atomic_fetch_add(wk->next, 1, __ATOMIC_RELAXED);

		if (i >= wk->n_plans)
			break;
		fit_one(wk, &wk->plans[i]);
	}
	return NULL;
}

static void run_batch(struct worker *wk, int n_workers, struct plan *plans, size_t n)
{
	int used = (size_t)n_workers < n ? n_workers : (int)n;
	size_t next = 0;

	/* plans are taken in turn as workers finish (students differ in cost) */
	for (int t = 0; t < used; t++) {
		wk[t].plans = plans;
		wk[t].n_plans = n;
		wk[t].next = &next;
	}
	if (used <= 1) {
		worker_main(&wk[0]);
		return;
	}
	for (int t = 1; t < used; t++)
		if (pthread_create(&wk[t].th, NULL, worker_main, &wk[t]))
			die("cannot create a thread");
	worker_main(&wk[0]);
	for (int t = 1; t < used; t++)
		pthread_join(wk[t].th, NULL);
}

/* Draw M rows of D without replacement (partial Fisher-Yates in place). */
static void draw(uint32_t *D, size_t nD, size_t M, size_t n_train, uint64_t seed, struct plan *p)
{
	rng r;

	rng_seed(&r, seed);
	for (size_t k = 0; k < M; k++) {
		size_t j = k + (size_t)rng_below(&r, nD - k);
		uint32_t tmp = D[k];

		D[k] = D[j];
		D[j] = tmp;
	}
	p->n_train = n_train;
	p->n_test = M - n_train;
	p->train = xreallocarray(NULL, n_train ? n_train : 1, sizeof(*p->train));
	p->test = xreallocarray(NULL, p->n_test ? p->n_test : 1, sizeof(*p->test));
	memcpy(p->train, D, n_train * sizeof(*D));
	memcpy(p->test, D + n_train, p->n_test * sizeof(*D));
}

static void plan_release(struct plan *p)
{
	free(p->train);
	free(p->test);
	free(p->wrong);
	p->train = p->test = p->wrong = NULL;
}

int distill_run(const distill_data *d, const distill_opts *o, distill_fit_fn fit, void *fit_ctx,
		distill_free_fn free_fn, distill_result *res)
{
	size_t n = d->n_rows, n_pool, n_agree, M, m_train, m_test, nD, capD;
	int S = o->stability_iter, N = o->iter, total, threads = o->threads < 1 ? 1 : o->threads;
	uint32_t *perm, *D, *agree;
	tree **best;
	double *best_reward;
	struct worker *wk;
	struct plan *plans;
	int batch;
	progress pg;
	rng r;

	memset(res, 0, sizeof(*res));
	if (S < 1 || N < 1)
		return error("the number of iterations must be at least 1");
	if (!(o->train_size > 0 && o->train_size < 1))
		return error("train size must be between 0 and 1 (exclusive)");
	if ((uint64_t)n >= UINT32_MAX)
		return error("too many rows (%zu)", n);
	n_pool = distill_train_count(n, o->train_size);
	n_agree = n - n_pool;
	if (!n_pool || !n_agree)
		return error("%zu rows: train size %g leaves an empty %s set", n, o->train_size,
			     n_pool ? "agreement" : "training");
	M = o->samples_frac > 0 ? distill_train_count(n_pool, o->samples_frac) : o->samples;
	if (M > n_pool)
		return error("cannot draw %zu samples from %zu training rows "
			     "(use --samples or --samples-frac to ask for fewer)", M, n_pool);
	m_train = distill_train_count(M, o->train_size);
	m_test = M - m_train;
	if (!m_train || !m_test)
		return error("%zu samples: train size %g leaves an empty student %s set", M,
			     o->train_size, m_train ? "test" : "training");
	total = S * N;

	/* outer split: pool (students' data D) and agreement set */
	perm = xreallocarray(NULL, n, sizeof(*perm));
	for (size_t i = 0; i < n; i++)
		perm[i] = (uint32_t)i;
	rng_seed(&r, rng_derive(o->seed, 0));
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = (size_t)rng_below(&r, i + 1);
		uint32_t tmp = perm[i];

		perm[i] = perm[j];
		perm[j] = tmp;
	}
	agree = perm + n_pool;
	capD = n_pool;
	if (o->aggregate != DISTILL_AGG_NONE)
		capD = st_add(capD, st_mult((size_t)total, m_test));
	D = xreallocarray(NULL, capD, sizeof(*D));
	memcpy(D, perm, n_pool * sizeof(*D));
	nD = n_pool;

	best = xcalloc((size_t)S, sizeof(*best));
	best_reward = xcalloc((size_t)S, sizeof(*best_reward));
	res->rewards = xcalloc((size_t)total, sizeof(*res->rewards));
	res->n_iter = total;

	wk = xcalloc((size_t)threads, sizeof(*wk));
	for (int t = 0; t < threads; t++) {
		wk[t].d = d;
		wk[t].fit = fit;
		wk[t].ctx = fit_ctx;
		wk[t].collect_wrong = o->aggregate == DISTILL_AGG_MISCLASSIFIED;
		wk[t].w = xreallocarray(NULL, n, sizeof(*wk[t].w));
		wk[t].cnt = xcalloc(n, sizeof(*wk[t].cnt));
		wk[t].rows = xreallocarray(NULL, n, sizeof(*wk[t].rows));
		wk[t].pred = xreallocarray(NULL, m_test, sizeof(*wk[t].pred));
		wk[t].truth = xreallocarray(NULL, m_test, sizeof(*wk[t].truth));
	}
	/*
	 * A batch of 4 plans a thread keeps both threads busy to its end but
	 * for the last student or so; each plan holds its draw (M row ids).
	 */
	batch = o->aggregate == DISTILL_AGG_MISCLASSIFIED ? 1 : threads > 1 ? 4 * threads : 1;
	plans = xcalloc((size_t)batch, sizeof(*plans));

	progress_init(&pg, "students", (uint64_t)total);
	if (!o->progress)
		progress_force(&pg, 0);
	for (int it0 = 0; it0 < total; it0 += batch) {
		int nb = total - it0 < batch ? total - it0 : batch;

		for (int b = 0; b < nb; b++) {
			struct plan *p = &plans[b];

			memset(p, 0, sizeof(*p));
			p->it = it0 + b;
			p->seed = rng_derive(o->seed, (uint64_t)total + 1 + (uint64_t)p->it);
			draw(D, nD, M, m_train, rng_derive(o->seed, 1 + (uint64_t)p->it), p);
			if (o->aggregate == DISTILL_AGG_ALL) {
				memcpy(D + nD, p->test, p->n_test * sizeof(*D));
				nD += p->n_test;
			}
		}
		run_batch(wk, threads, plans, (size_t)nb);
		for (int b = 0; b < nb; b++) {
			struct plan *p = &plans[b];
			int outer = p->it / N;

			if (o->aggregate == DISTILL_AGG_MISCLASSIFIED) {
				memcpy(D + nD, p->wrong, p->n_wrong * sizeof(*D));
				nD += p->n_wrong;
			}
			res->rewards[p->it] = p->reward;
			if (!best[outer] || p->reward > best_reward[outer]) {
				if (best[outer])
					free_fn(best[outer]);
				best[outer] = p->student;
				best_reward[outer] = p->reward;
			} else {
				free_fn(p->student);
			}
			plan_release(p);
		}
		progress_update(&pg, (uint64_t)(it0 + nb));
	}
	progress_end(&pg);

	/* stability: prune the S top students, pairwise agreement on the agreement set */
	{
		tree **pruned = xcalloc((size_t)S, sizeof(*pruned));
		int32_t *pred = xreallocarray(NULL, st_mult((size_t)S, n_agree), sizeof(*pred));
		double best_agree = -1;
		int chosen = 0;

		for (int i = 0; i < S; i++) {
			pruned[i] = prune_top_k(best[i], o->top_k, o->max_impurity);
			distill_predict(pruned[i], d->X, n, agree, n_agree, pred + (size_t)i * n_agree);
		}
		for (int i = 0; i < S; i++) {
			double sum = 0;

			for (int j = 0; j < S; j++)
				sum += report_macro_f1(pred + (size_t)j * n_agree, pred + (size_t)i * n_agree,
						       n_agree, d->n_classes);
			sum /= S;
			if (sum > best_agree) {
				best_agree = sum;
				chosen = i;
			}
		}
		res->student = best[chosen];
		res->pruned = pruned[chosen];
		res->agreement = best_agree;
		res->reward = best_reward[chosen];
		res->chosen = chosen;
		for (int i = 0; i < S; i++) {
			if (i == chosen)
				continue;
			free_fn(best[i]);
			prune_tree_free(pruned[i]);
		}
		free(pruned);
		free(pred);
	}
	res->n_pool = n_pool;
	res->n_agree = n_agree;
	res->n_samples = M;
	res->n_student_train = m_train;
	res->n_student_test = m_test;
	res->final_d = nD;

	for (int t = 0; t < threads; t++) {
		free(wk[t].w);
		free(wk[t].cnt);
		free(wk[t].rows);
		free(wk[t].pred);
		free(wk[t].truth);
	}
	free(wk);
	free(plans);
	free(best);
	free(best_reward);
	free(D);
	free(perm);
	return 0;
}

void distill_result_release(distill_result *res, distill_free_fn free_fn)
{
	if (res->student)
		free_fn(res->student);
	prune_tree_free(res->pruned);
	free(res->rewards);
	memset(res, 0, sizeof(*res));
}
