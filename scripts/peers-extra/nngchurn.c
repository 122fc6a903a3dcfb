/* nngchurn: NNG's side of `scripts/churn.sh`, linked against the system's libnng (Debian libnng-dev). Two uses:
 *
 *  - the swap mode's persistent dialer (no --seconds): it dials and stays up while the Sprocket listener it dials is
 *    killed and restarted, printing every message it receives as a line. Unlike nngcat it sets the dialer's
 *    reconnect times, so the time to a new pipe measures the listener's restart, not NNG 1.5.2's default
 *    reconnect-time-min of 1 s (nngcat has no option for it);
 *  - NNG's figures beside Sprocket's (--seconds N, churn.sh --side nng): the same soak as `sprocket perf churn`
 *    (one socket dialing at 100 messages/s with 1 s send and receive timeouts while the script kills and restarts
 *    its nngcat peer every 2 s), ending with one JSON line with the same counts: requests and replies, messages sent
 *    and received, errors by code, pipes added and removed, the gaps from losing the last pipe to the next pipe,
 *    fds and RSS after the warm-up and at the end.
 *
 *   nngchurn <proto> <url> [--seconds N] [--warmup S] [--reconnect-ms R] [--interval-ms I] [--insecure]
 *
 * proto: this side's protocol, one of req rep pub sub push pull surveyor respondent pair1. The dialer uses
 * NNG_OPT_RECONNMINT = NNG_OPT_RECONNMAXT = R (default 100 ms: a retry within 0-100 ms, as the issue's
 * reconnect-time-min 100 ms). Senders send every I ms (default 100; 10 with --seconds, as perf churn's 100/s);
 * repliers echo; SURVEYOR surveys for 500 ms. tls+tcp URLs need --insecure (the churn's certificate is
 * self-signed). Without --seconds it runs until killed.
 * Build: gcc -O2 -o nngchurn nngchurn.c -lnng -lpthread
 */
#include <dirent.h>
#include <nng/nng.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/protocol/survey0/respond.h>
#include <nng/protocol/survey0/survey.h>
#include <nng/supplemental/tls/tls.h>
#include <nng/supplemental/util/platform.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *what, int rv) { fprintf(stderr, "nngchurn: %s: %s\n", what, nng_strerror(rv)); exit(1); }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static int printing = 1; /* swap mode: every received message as a line */
static long sent, received, requests, replies, timeouts, bad_state, other_errors;

/* ---- pipes and gaps ----------------------------------------------------------------------------------- */
#define MAX_GAPS 100000
#define MAX_LIVE 64
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int live, added, removed, ngaps;
static uint32_t live_ids[MAX_LIVE]; /* the pipes that got ADD_POST and no REM_POST yet */
static double lost_at, gaps[MAX_GAPS];

/* libnng reports REM_POST for a pipe that got ADD_PRE but never ADD_POST (closed in between): only the pipes that
 * were added count. */
static void pipe_cb(nng_pipe p, nng_pipe_ev ev, void *arg) {
	(void) arg;
	uint32_t id = nng_pipe_id(p);
	pthread_mutex_lock(&mu);
	if (ev == NNG_PIPE_EV_ADD_POST) {
		added++;
		if (live < MAX_LIVE) live_ids[live] = id;
		if (live++ == 0 && lost_at > 0 && ngaps < MAX_GAPS) gaps[ngaps++] = now() - lost_at;
	} else {
		int i = 0, n = live < MAX_LIVE ? live : MAX_LIVE;
		while (i < n && live_ids[i] != id) i++;
		if (i < n) {
			live_ids[i] = live_ids[n - 1];
			removed++;
			if (--live == 0) lost_at = now();
		}
	}
	pthread_mutex_unlock(&mu);
}

static int cmp(const void *a, const void *b) { double x = *(double *) a, y = *(double *) b; return x < y ? -1 : x > y; }

/* ---- process samples ---------------------------------------------------------------------------------- */
static long fds(void) {
	DIR *d = opendir("/proc/self/fd");
	long n = 0;
	if (!d) return -1;
	while (readdir(d)) n++;
	closedir(d);
	return n - 3; /* ".", ".." and the directory's own fd */
}
static long rss_kb(void) {
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	if (!f) return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6)) kb = atol(line + 6);
	fclose(f);
	return kb;
}

/* ---- one step of each protocol ------------------------------------------------------------------------ */
/* Counts a failed call; a timeout only where it is not normal (a receiver waiting while its peer is down or quiet,
 * or a survey's end). */
static void count_error(int rv, int timeout_normal) {
	if (rv == NNG_ETIMEDOUT) {
		if (!timeout_normal) timeouts++;
	} else if (rv == NNG_ESTATE) {
		bad_state++;
	} else if (rv) {
		other_errors++;
	}
}

/* Receives one message: 1 if one came (printed in swap mode); *rv the error otherwise. */
static int recv_one(nng_socket s, int *rv, nng_msg **keep) {
	nng_msg *m;
	*rv = nng_recvmsg(s, &m, 0);
	if (*rv) return 0;
	if (printing) {
		printf("%.*s\n", (int) nng_msg_len(m), (char *) nng_msg_body(m));
		fflush(stdout);
	}
	if (keep) *keep = m; else nng_msg_free(m);
	return 1;
}

static int send_str(nng_socket s, const char *data) { return nng_send(s, (void *) data, strlen(data), 0); }

static const char *proto;
static nng_socket sock;
static volatile int running = 1;

static void *pair_receiver(void *arg) {
	(void) arg;
	while (running) {
		int rv;
		if (recv_one(sock, &rv, NULL)) __atomic_add_fetch(&received, 1, __ATOMIC_RELAXED);
		else if (rv != NNG_ETIMEDOUT) __atomic_add_fetch(&other_errors, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void step(int interval) {
	int rv;
	nng_msg *m = NULL;
	if (!strcmp(proto, "rep") || !strcmp(proto, "respondent")) {
		if (recv_one(sock, &rv, &m)) {
			received++;
			if ((rv = nng_sendmsg(sock, m, 0))) { nng_msg_free(m); count_error(rv, 0); } else sent++;
		} else {
			count_error(rv, 1); /* a receive timeout is normal here: the peer is down or quiet */
		}
		return;
	}
	if (!strcmp(proto, "sub") || !strcmp(proto, "pull")) {
		if (recv_one(sock, &rv, NULL)) received++; else count_error(rv, 1);
		return;
	}
	if (!strcmp(proto, "req")) {
		if ((rv = send_str(sock, "ping"))) count_error(rv, 0);
		else {
			requests++;
			if (recv_one(sock, &rv, NULL)) replies++; else count_error(rv, 0);
		}
	} else if (!strcmp(proto, "surveyor")) {
		if ((rv = send_str(sock, "q"))) count_error(rv, 0);
		else {
			requests++;
			while (recv_one(sock, &rv, NULL)) replies++;
			count_error(rv, 1); /* the survey's end is a timeout */
		}
	} else { /* pub, push, pair1 */
		if ((rv = send_str(sock, "x"))) count_error(rv, 0); else sent++;
	}
	nng_msleep(interval);
}

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: nngchurn <proto> <url> [--seconds N] [--warmup S] [--reconnect-ms R] "
		                "[--interval-ms I] [--insecure]\n");
		return 2;
	}
	proto = argv[1];
	const char *url = argv[2];
	int reconnect = 100, interval = -1, insecure = 0, seconds = 0, warmup = 60, rv;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--insecure")) insecure = 1;
		else if (!strcmp(argv[i], "--reconnect-ms") && i + 1 < argc) reconnect = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--interval-ms") && i + 1 < argc) interval = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--warmup") && i + 1 < argc) warmup = atoi(argv[++i]);
		else { fprintf(stderr, "nngchurn: unknown argument %s\n", argv[i]); return 2; }
	}
	printing = seconds == 0;
	if (interval < 0) interval = seconds ? 10 : 100;
	if (!strcmp(proto, "req")) rv = nng_req0_open(&sock);
	else if (!strcmp(proto, "rep")) rv = nng_rep0_open(&sock);
	else if (!strcmp(proto, "pub")) rv = nng_pub0_open(&sock);
	else if (!strcmp(proto, "sub")) rv = nng_sub0_open(&sock);
	else if (!strcmp(proto, "push")) rv = nng_push0_open(&sock);
	else if (!strcmp(proto, "pull")) rv = nng_pull0_open(&sock);
	else if (!strcmp(proto, "surveyor")) rv = nng_surveyor0_open(&sock);
	else if (!strcmp(proto, "respondent")) rv = nng_respondent0_open(&sock);
	else if (!strcmp(proto, "pair1")) rv = nng_pair1_open(&sock);
	else { fprintf(stderr, "nngchurn: unknown protocol %s\n", proto); return 2; }
	if (rv) die("open", rv);
	if (!strcmp(proto, "sub") && (rv = nng_socket_set(sock, NNG_OPT_SUB_SUBSCRIBE, "", 0))) die("subscribe", rv);
	if (!strcmp(proto, "surveyor") && (rv = nng_socket_set_ms(sock, NNG_OPT_SURVEYOR_SURVEYTIME, 500)))
		die("survey time", rv);
	if ((rv = nng_socket_set_ms(sock, NNG_OPT_RECVTIMEO, 1000)) || (rv = nng_socket_set_ms(sock, NNG_OPT_SENDTIMEO, 1000)))
		die("timeouts", rv);
	nng_pipe_notify(sock, NNG_PIPE_EV_ADD_POST, pipe_cb, NULL);
	nng_pipe_notify(sock, NNG_PIPE_EV_REM_POST, pipe_cb, NULL);

	nng_dialer d;
	if ((rv = nng_dialer_create(&d, sock, url))) die("dialer", rv);
	if ((rv = nng_dialer_set_ms(d, NNG_OPT_RECONNMINT, reconnect)) ||
	    (rv = nng_dialer_set_ms(d, NNG_OPT_RECONNMAXT, reconnect)))
		die("reconnect times", rv);
	if (!strncmp(url, "tls+tcp://", 10) || !strncmp(url, "wss://", 6)) {
		nng_tls_config *tls;
		if ((rv = nng_tls_config_alloc(&tls, NNG_TLS_MODE_CLIENT))) die("tls config", rv);
		if (insecure && (rv = nng_tls_config_auth_mode(tls, NNG_TLS_AUTH_MODE_NONE))) die("tls auth mode", rv);
		if ((rv = nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, tls))) die("tls config on dialer", rv);
	}
	/* non-blocking: the listener may not be up; the dialer keeps trying every 0-R ms */
	if ((rv = nng_dialer_start(d, NNG_FLAG_NONBLOCK))) die("dial", rv);
	if (seconds) {
		printf("ready\n");
		fflush(stdout);
		/* as perf churn: the counts start at the first pipe (waited for up to 60 s) */
		for (double until = now() + 60; now() < until;) {
			pthread_mutex_lock(&mu);
			int any = added > 0;
			pthread_mutex_unlock(&mu);
			if (any) break;
			nng_msleep(5);
		}
	}
	pthread_t receiver;
	int pair = !strcmp(proto, "pair1");
	if (pair) pthread_create(&receiver, NULL, pair_receiver, NULL);
	double start = now(), end = start + seconds, warm = start + (warmup < seconds / 2 ? warmup : seconds / 2);
	long fd_start = -1, rss_start = -1;
	while (!seconds || now() < end) {
		if (seconds && fd_start < 0 && now() >= warm) { fd_start = fds(); rss_start = rss_kb(); }
		step(interval);
	}
	running = 0;
	if (pair) pthread_join(receiver, NULL);
	pthread_mutex_lock(&mu);
	double mx = 0, p99 = 0;
	int over = 0;
	for (int i = 0; i < ngaps; i++) { if (gaps[i] > mx) mx = gaps[i]; if (gaps[i] > 1.0) over++; }
	if (ngaps) { qsort(gaps, ngaps, sizeof gaps[0], cmp); int k = (ngaps * 99 + 99) / 100 - 1; p99 = gaps[k < ngaps ? k : ngaps - 1]; }
	char errs[160] = "{", *e = errs + 1;
	const char *names[] = {"TIMED_OUT", "BAD_STATE", "OTHER"};
	long counts[] = {timeouts, bad_state, other_errors};
	for (int i = 0; i < 3; i++)
		if (counts[i]) e += sprintf(e, "%s\"%s\":%ld", e > errs + 1 ? "," : "", names[i], counts[i]);
	strcpy(e, "}");
	printf("{\"proto\":\"%s\",\"impl\":\"nng %s\",\"elapsed_s\":%.1f,\"sent\":%ld,\"received\":%ld,\"requests\":%ld,"
	       "\"replies\":%ld,\"errors\":%s,\"pipes_added\":%d,\"pipes_removed\":%d,\"gaps\":%d,\"gap_max_ms\":%ld,"
	       "\"gap_p99_ms\":%ld,\"gaps_over_1s\":%d,\"fd_start\":%ld,\"rss_kb_start\":%ld,\"fd_end\":%ld,\"rss_kb_end\":%ld,"
	       "\"done\":true}\n",
	    proto, nng_version(), now() - start, sent, received, requests, replies, errs, added, removed, ngaps,
	    (long) (mx * 1000), (long) (p99 * 1000), over, fd_start, rss_start, fds(), rss_kb());
	pthread_mutex_unlock(&mu);
	return 0;
}
