/* nngproto: NNG's side of `sprocket perf pub_fanout` and `sprocket perf reqrep_ctx`, linked against the
 * system's libnng (Debian libnng-dev), with the same command line, wire behaviour and output lines:
 *
 *   nngproto pub_fanout [--role both|pub|sub] [--subscribers N] [--window W] <url> <msg-size> <count>
 *   nngproto reqrep_ctx [--role both|rep|req] [--contexts N] [--clients K] <url> <msg-size> <count>
 *
 * pub_fanout: the pub role listens on PUB, waits for N pipes, publishes count messages as fast as PUB takes
 * them (PUB drops for a full subscriber, never waits), prints its publish rate and waits up to 60 s for the
 * subscribers to leave. The sub role opens N SUB sockets (subscribed to everything, each dialing url and
 * received on its own thread until it has count messages or none came for 1 s, 30 s before the first) and
 * prints deliveries, drops and deliveries/s from the first reception to the last. With --role both and
 * --window W, the publisher stays at most W messages ahead of the slowest subscriber (nothing is dropped).
 * reqrep_ctx: the rep role serves with N contexts on one REP socket (asynchronous echo) until it has answered
 * count requests; the req role runs N contexts over K REQ sockets, count round trips in all, and prints
 * requests/s. The role both (default) runs both sides in this process.
 * Build: gcc -O2 -o nngproto nngproto.c -lnng -lpthread
 */
#include <nng/nng.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/util/platform.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static void die(const char *what, int rv) { fprintf(stderr, "nngproto: %s: %s\n", what, nng_strerror(rv)); exit(1); }

static const char *url;
static long size, count;
static int n_subs = 100, n_ctx = 16, n_clients = 1, window;

static void do_listen(nng_socket s) { int rv; if ((rv = nng_listen(s, url, NULL, 0))) die("listen", rv); }
static void do_dial(nng_socket s) {
	int rv = 0;
	for (int i = 0; i < 400; i++) { /* the listener may still be starting (a JVM, say) */
		if (!(rv = nng_dial(s, url, NULL, 0))) return;
		nng_msleep(25);
	}
	die("dial", rv);
}

/* ---- pub_fanout ------------------------------------------------------------------------------------- */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int pipes;

static void pipe_cb(nng_pipe p, nng_pipe_ev ev, void *arg) {
	(void) p; (void) arg;
	pthread_mutex_lock(&mu);
	pipes += ev == NNG_PIPE_EV_ADD_POST ? 1 : -1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}
/* waits until pipes >= n (atleast) or pipes <= n; returns 0 on timeout */
static int await_pipes(int n, int atleast, int seconds) {
	struct timespec d; clock_gettime(CLOCK_REALTIME, &d); d.tv_sec += seconds;
	int ok = 1;
	pthread_mutex_lock(&mu);
	while (atleast ? pipes < n : pipes > n)
		if (pthread_cond_timedwait(&cv, &mu, &d)) { ok = 0; break; }
	pthread_mutex_unlock(&mu);
	return ok;
}

struct sub { nng_socket s; long received; double first, last; int bad; };
static struct sub *subs;
static int subs_done;

static void await_slowest(long target) {
	if (target <= 0) return;
	for (int k = 0; k < n_subs; k++)
		while (__atomic_load_n(&subs[k].received, __ATOMIC_ACQUIRE) < target && !__atomic_load_n(&subs_done, __ATOMIC_ACQUIRE))
			{ struct timespec ts = {0, 200000}; nanosleep(&ts, NULL); } /* as Sprocket's parkNanos(200 us) */
}

static void publish(nng_socket pub) {
	if (!await_pipes(n_subs, 1, 30)) { fprintf(stderr, "nngproto: only %d of %d subscribers connected within 30 s\n", pipes, n_subs); exit(1); }
	char *buf = malloc(size ? size : 1); memset(buf, 'x', size);
	double t0 = now();
	int rv;
	long every = window / 2 > 0 ? window / 2 : 1;
	for (long i = 0; i < count; i++) {
		if (window > 0 && i % every == 0) await_slowest(i - window);
		if ((rv = nng_send(pub, buf, size, 0))) die("publish", rv);
	}
	double total = now() - t0;
	printf("publish time: %.3f [s]\npublish rate: %.f [msg/s]\n", total, count / total);
	fflush(stdout);
	free(buf);
}


static void *sub_main(void *arg) {
	struct sub *sb = arg;
	nng_setopt_ms(sb->s, NNG_OPT_RECVTIMEO, 30000);
	while (sb->received < count) {
		nng_msg *m;
		if (nng_recvmsg(sb->s, &m, 0)) break; /* a timeout: the rest was dropped */
		double t = now();
		if ((long) nng_msg_len(m) != size) { sb->bad = 1; nng_msg_free(m); break; }
		nng_msg_free(m);
		if (sb->received == 0) { sb->first = t; nng_setopt_ms(sb->s, NNG_OPT_RECVTIMEO, 1000); }
		__atomic_store_n(&sb->received, sb->received + 1, __ATOMIC_RELEASE);
		sb->last = t;
	}
	__atomic_store_n(&subs_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int pub_fanout(const char *role) {
	nng_socket pub; int rv;
	int has_pub = strcmp(role, "sub") != 0, has_sub = strcmp(role, "pub") != 0;
	if (has_pub) {
		if ((rv = nng_pub0_open(&pub))) die("open", rv);
		nng_setopt_int(pub, NNG_OPT_SENDBUF, 128);
		nng_pipe_notify(pub, NNG_PIPE_EV_ADD_POST, pipe_cb, NULL);
		nng_pipe_notify(pub, NNG_PIPE_EV_REM_POST, pipe_cb, NULL);
		do_listen(pub);
	}
	if (!has_sub) {
		publish(pub);
		await_pipes(0, 0, 60);
		nng_close(pub);
		return 0;
	}
	subs = calloc(n_subs, sizeof *subs);
	pthread_t *th = calloc(n_subs, sizeof *th);
	for (int i = 0; i < n_subs; i++) {
		if ((rv = nng_sub0_open(&subs[i].s))) die("open", rv);
		nng_setopt_int(subs[i].s, NNG_OPT_RECVBUF, 128);
		nng_setopt_size(subs[i].s, NNG_OPT_RECVMAXSZ, 0);
		if ((rv = nng_setopt(subs[i].s, NNG_OPT_SUB_SUBSCRIBE, "", 0))) die("subscribe", rv);
		do_dial(subs[i].s);
	}
	for (int i = 0; i < n_subs; i++) pthread_create(&th[i], NULL, sub_main, &subs[i]);
	if (has_pub) publish(pub);
	long deliveries = 0; double t0 = 1e300, t1 = -1e300; int bad = 0;
	for (int i = 0; i < n_subs; i++) {
		pthread_join(th[i], NULL);
		nng_close(subs[i].s);
		bad |= subs[i].bad;
		deliveries += subs[i].received;
		if (subs[i].received) { if (subs[i].first < t0) t0 = subs[i].first; if (subs[i].last > t1) t1 = subs[i].last; }
	}
	if (has_pub) nng_close(pub);
	if (bad) { fprintf(stderr, "nngproto: wrong message size\n"); return 1; }
	if (!deliveries) { fprintf(stderr, "nngproto: no subscriber received anything within 30 s\n"); return 1; }
	double total = t1 - t0 > 1e-9 ? t1 - t0 : 1e-9;
	printf("subscribers: %d\nmessage size: %ld [B]\nmessage count: %ld\ndeliveries: %ld\ndropped: %ld\n"
	    "total time: %.3f [s]\nfan-out throughput: %.f [deliveries/s]\n",
	    n_subs, size, count, deliveries, n_subs * count - deliveries, total, deliveries / total);
	return 0;
}

/* ---- reqrep_ctx ------------------------------------------------------------------------------------- */
enum { RECV, SEND };
struct worker { nng_ctx ctx; nng_aio *aio; int state; };
static long left, tickets, answered, done_workers;
static int failed;

static void finish_locked(void) { pthread_cond_broadcast(&cv); }

static void rep_cb(void *arg) {
	struct worker *w = arg; int rv;
	if ((rv = nng_aio_result(w->aio))) {
		if (w->state == SEND) nng_msg_free(nng_aio_get_msg(w->aio));
		return; /* closed at the end of the run */
	}
	if (w->state == RECV) {
		w->state = SEND;
		nng_ctx_send(w->ctx, w->aio); /* echo the request's message */
		return;
	}
	pthread_mutex_lock(&mu);
	if (--left == 0) finish_locked();
	pthread_mutex_unlock(&mu);
	w->state = RECV;
	nng_ctx_recv(w->ctx, w->aio);
}

static void req_next(struct worker *w) {
	pthread_mutex_lock(&mu);
	int go = tickets > 0;
	if (go) tickets--; else { done_workers++; finish_locked(); }
	pthread_mutex_unlock(&mu);
	if (!go) return;
	nng_msg *m; int rv;
	if ((rv = nng_msg_alloc(&m, size))) die("alloc", rv);
	memset(nng_msg_body(m), 'x', size);
	nng_aio_set_msg(w->aio, m);
	w->state = SEND;
	nng_ctx_send(w->ctx, w->aio);
}

static void req_cb(void *arg) {
	struct worker *w = arg; int rv;
	if ((rv = nng_aio_result(w->aio))) {
		if (w->state == SEND) nng_msg_free(nng_aio_get_msg(w->aio));
		pthread_mutex_lock(&mu); failed = rv; done_workers++; finish_locked(); pthread_mutex_unlock(&mu);
		return;
	}
	if (w->state == SEND) {
		w->state = RECV;
		nng_ctx_recv(w->ctx, w->aio);
		return;
	}
	nng_msg *m = nng_aio_get_msg(w->aio);
	long len = nng_msg_len(m);
	nng_msg_free(m);
	if (len != size) {
		pthread_mutex_lock(&mu); failed = -1; done_workers++; finish_locked(); pthread_mutex_unlock(&mu);
		return;
	}
	pthread_mutex_lock(&mu); answered++; pthread_mutex_unlock(&mu);
	req_next(w);
}

static int wait_until(long *var, long target, int seconds) {
	struct timespec d; clock_gettime(CLOCK_REALTIME, &d); d.tv_sec += seconds;
	int ok = 1;
	pthread_mutex_lock(&mu);
	while (*var != target)
		if (pthread_cond_timedwait(&cv, &mu, &d)) { ok = 0; break; }
	pthread_mutex_unlock(&mu);
	return ok;
}

static int reqrep_ctx(const char *role) {
	int has_rep = strcmp(role, "req") != 0, has_req = strcmp(role, "rep") != 0, rv;
	nng_socket rep, *reqs = NULL;
	struct worker *servers = NULL, *clients = NULL;
	left = count; tickets = count;
	if (has_rep) {
		if ((rv = nng_rep0_open(&rep))) die("open", rv);
		nng_setopt_size(rep, NNG_OPT_RECVMAXSZ, 0);
		do_listen(rep);
		servers = calloc(n_ctx, sizeof *servers);
		for (int i = 0; i < n_ctx; i++) {
			struct worker *w = &servers[i];
			if ((rv = nng_aio_alloc(&w->aio, rep_cb, w))) die("aio", rv);
			if ((rv = nng_ctx_open(&w->ctx, rep))) die("context", rv);
			w->state = RECV;
			nng_ctx_recv(w->ctx, w->aio);
		}
	}
	if (has_req) {
		reqs = calloc(n_clients, sizeof *reqs);
		for (int i = 0; i < n_clients; i++) {
			if ((rv = nng_req0_open(&reqs[i]))) die("open", rv);
			nng_setopt_size(reqs[i], NNG_OPT_RECVMAXSZ, 0);
			do_dial(reqs[i]);
		}
		clients = calloc(n_ctx, sizeof *clients);
		for (int i = 0; i < n_ctx; i++) {
			if ((rv = nng_aio_alloc(&clients[i].aio, req_cb, &clients[i]))) die("aio", rv);
			if ((rv = nng_ctx_open(&clients[i].ctx, reqs[i % n_clients]))) die("context", rv);
		}
		double t0 = now();
		for (int i = 0; i < n_ctx; i++) req_next(&clients[i]);
		if (!wait_until(&done_workers, n_ctx, 60)) { fprintf(stderr, "nngproto: only %ld of %ld replies within 60 s\n", answered, count); return 1; }
		double total = now() - t0;
		if (failed) { fprintf(stderr, "nngproto: request: %s\n", failed < 0 ? "wrong reply size" : nng_strerror(failed)); return 1; }
		printf("contexts: %d\nclients: %d\nmessage size: %ld [B]\nrequest count: %ld\ntotal time: %.3f [s]\n"
		    "request rate: %.f [req/s]\naverage round trip: %.3f [us]\n",
		    n_ctx, n_clients, size, count, total, count / total, total * 1e6 * n_ctx / count);
		fflush(stdout);
	}
	if (has_rep) {
		if (!wait_until(&left, 0, 60)) { fprintf(stderr, "nngproto: answered %ld requests too few within 60 s\n", left); return 1; }
		nng_msleep(200); /* let the last replies leave before closing */
	}
	if (has_req) {
		for (int i = 0; i < n_ctx; i++) { nng_aio_stop(clients[i].aio); nng_ctx_close(clients[i].ctx); }
		for (int i = 0; i < n_clients; i++) nng_close(reqs[i]);
	}
	if (has_rep) {
		for (int i = 0; i < n_ctx; i++) { nng_aio_stop(servers[i].aio); nng_ctx_close(servers[i].ctx); }
		nng_close(rep);
	}
	return 0;
}

int main(int argc, char **argv) {
	const char *role = "both", *pos[4]; int npos = 0;
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--", 2)) { if (npos < 4) pos[npos] = argv[i]; npos++; continue; }
		if (i + 1 >= argc) { fprintf(stderr, "nngproto: %s needs a value\n", argv[i]); return 2; }
		const char *v = argv[++i];
		if (!strcmp(argv[i - 1], "--role")) role = v;
		else if (!strcmp(argv[i - 1], "--subscribers")) n_subs = atoi(v);
		else if (!strcmp(argv[i - 1], "--contexts")) n_ctx = atoi(v);
		else if (!strcmp(argv[i - 1], "--clients")) n_clients = atoi(v);
		else if (!strcmp(argv[i - 1], "--window")) window = atoi(v);
		else { fprintf(stderr, "nngproto: unknown option %s\n", argv[i - 1]); return 2; }
	}
	if (npos != 4 || n_subs < 1 || n_ctx < 1 || n_clients < 1 || n_clients > n_ctx || window < 0 || (window > 0 && strcmp(role, "both"))) {
		fprintf(stderr, "usage: nngproto pub_fanout [--role both|pub|sub] [--subscribers N] [--window W] <url> <msg-size> <count>\n"
		                "       nngproto reqrep_ctx [--role both|rep|req] [--contexts N] [--clients K] <url> <msg-size> <count>\n");
		return 2;
	}
	url = pos[1]; size = atol(pos[2]); count = atol(pos[3]);
	if (!strcmp(pos[0], "pub_fanout")) return pub_fanout(role);
	if (!strcmp(pos[0], "reqrep_ctx")) return reqrep_ctx(role);
	fprintf(stderr, "nngproto: unknown mode %s\n", pos[0]);
	return 2;
}
