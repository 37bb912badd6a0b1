/*
 * commit.c: group commit of answers.  A request that stores an answer
 * queues it with its tenant's committer and waits; the first waiting thread
 * becomes the leader and writes everything queued at that moment in one
 * durable transaction (one fsync for all), then wakes the others, each with
 * the result of its own answer, and leads again while more has queued.  A
 * request is answered only after its own answer is durable.  The committer
 * has its own connection, so the tenant's lock (Lua state, reads) is free
 * while a commit runs; between processes the store's write lock orders the
 * writers.
 */
#include "config.h"

#include <string.h>

#include "extern.h"

void
commit_init(struct committer *c, const struct config *cfg,
    const struct tenant_conf *tc)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	c->cfg = cfg;
	c->tc = tc;
}

void
commit_free(struct committer *c)
{
	store_close(c->store);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
}

/*
 * Stores one answer durably together with whatever else is waiting.
 * Returns 0 once it is committed, -1 if it could not be stored (then
 * nothing of it was).
 */
int
commit_answer(struct committer *c, struct commit_item *it)
{
	struct commit_item	*batch, *x;
	int			 rc;

	it->done = 0;
	it->rc = -1;
	it->next = NULL;
	pthread_mutex_lock(&c->mu);
	if (c->tail != NULL)
		c->tail->next = it;
	else
		c->head = it;
	c->tail = it;
	while (!it->done) {
		if (c->leading) {
			pthread_cond_wait(&c->cv, &c->mu);
			continue;
		}
		/* Lead: take everything queued now and write it. */
		c->leading = 1;
		batch = c->head;
		c->head = c->tail = NULL;
		pthread_mutex_unlock(&c->mu);
		if (c->store == NULL)
			(void)tenant_open_store(c->cfg, c->tc, &c->store);
		rc = c->store != NULL ? store_answers_put(c->store, batch) : -1;
		if (rc == -1)
			for (x = batch; x != NULL; x = x->next)
				x->rc = -1;
		pthread_mutex_lock(&c->mu);
		for (x = batch; x != NULL; x = x->next)
			x->done = 1;
		c->batches++;
		c->leading = 0;
		pthread_cond_broadcast(&c->cv);
	}
	rc = it->rc;
	pthread_mutex_unlock(&c->mu);
	return rc;
}
