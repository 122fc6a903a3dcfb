/* wsidle: the clients of scripts/bench-scale.sh's idle-connection part: N raw WebSocket SUB connections to one
 * listener, from one thread with epoll (the C library only), so that the clients take little of the CPU the
 * listener shares on a small machine.
 *
 *   wsidle --port P --connections N [--inflight K] [--size S] [--path /] --out FILE --ready FILE --release FILE
 *          [--timeout SEC]
 *
 * Opens N connections to 127.0.0.1:P, K handshakes in flight (default 32), each asking for the subprotocol
 * pub.sp.nanomsg.org, and records the instant of each 101 answer with CLOCK_MONOTONIC (the clock of Java's
 * System.nanoTime() on Linux). Then waits for one binary frame of S bytes (default 64) on each connection and
 * records its arrival. When all have arrived (or SEC seconds passed, default 120) it writes FILE (JSON: connections,
 * failed, failures, first/middle/last 101, first/last arrival, messages, the client's CPU seconds while connecting
 * and in all), creates READY, and holds every connection open until RELEASE exists (at most 600 s), so the
 * listener's heap can be measured with N idle connections. Exit status 0 if every connection opened.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

enum state { CONNECTING, UPGRADING, WAITING, DONE };

struct conn {
	int fd;
	enum state st;
	int have;         /* bytes of the answer head (UPGRADING) or of the frame (WAITING) held so far */
	char buf[1024];
};

static long long now_ns(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static double cpu_s(void) {
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp_ll(const void *a, const void *b) {
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* Whether buf[0..n) holds a whole unmasked server frame with a payload of size bytes. */
static int frame_complete(const unsigned char *b, int n, int size) {
	if (n < 2) return 0;
	int len = b[1] & 0x7f, i = 2;
	if (len == 126) i = 4;
	else if (len == 127) i = 10;
	return n >= i + size;
}

static char failure_text[5][160];
static int failures;

static void failed(const char *what) {
	if (failures < 5) snprintf(failure_text[failures], sizeof failure_text[0], "%s", what);
	failures++;
}

static void json_string(FILE *f, const char *s) {
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\') fputc('\\', f);
		if ((unsigned char)*s >= 0x20) fputc(*s, f);
	}
	fputc('"', f);
}

static int exists(const char *path) {
	return access(path, F_OK) == 0;
}

int main(int argc, char **argv) {
	int port = 0, n = 0, inflight = 32, size = 64;
	double timeout = 120;
	const char *path = "/", *out = NULL, *ready = NULL, *release = NULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		if (!strcmp(k, "--port")) port = atoi(v);
		else if (!strcmp(k, "--connections")) n = atoi(v);
		else if (!strcmp(k, "--inflight")) inflight = atoi(v);
		else if (!strcmp(k, "--size")) size = atoi(v);
		else if (!strcmp(k, "--path")) path = v;
		else if (!strcmp(k, "--out")) out = v;
		else if (!strcmp(k, "--ready")) ready = v;
		else if (!strcmp(k, "--release")) release = v;
		else if (!strcmp(k, "--timeout")) timeout = atof(v);
		else { fprintf(stderr, "wsidle: unknown option %s\n", k); return 2; }
	}
	if (port <= 0 || n <= 0 || inflight <= 0 || size < 0 || !out || !ready || !release || (argc - 1) % 2) {
		fprintf(stderr, "usage: wsidle --port P --connections N [--inflight K] [--size S] [--path /] --out FILE "
		                "--ready FILE --release FILE [--timeout SEC]\n");
		return 2;
	}
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	char req[512];
	/* one key for every connection (the answer's accept key is not checked here): no random bytes to make */
	int reqlen = snprintf(req, sizeof req,
	    "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: c3Byb2NrZXQtc2NhbGUtaw==\r\nSec-WebSocket-Version: 13\r\n"
	    "Sec-WebSocket-Protocol: pub.sp.nanomsg.org\r\n\r\n", path, port);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);

	struct conn *c = calloc(n, sizeof *c);
	long long *answered = calloc(n, sizeof *answered), *arrived = calloc(n, sizeof *arrived);
	int ep = epoll_create1(0);
	struct epoll_event evs[256];
	int started = 0, pending = 0, opened = 0, messages = 0, ended = 0;
	double cpu0 = cpu_s(), connect_cpu = 0;
	long long deadline = now_ns() + (long long)(timeout * 1e9);
	while (ended < n && now_ns() < deadline) {
		while (started < n && pending < inflight) {
			struct conn *k = &c[started];
			started++;
			k->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
			if (k->fd < 0 || (connect(k->fd, (struct sockaddr *)&to, sizeof to) < 0 && errno != EINPROGRESS)) {
				failed(strerror(errno));
				if (k->fd >= 0) close(k->fd);
				k->st = DONE;
				ended++;
				continue;
			}
			k->st = CONNECTING;
			struct epoll_event e = { .events = EPOLLOUT, .data.ptr = k };
			epoll_ctl(ep, EPOLL_CTL_ADD, k->fd, &e);
			pending++;
		}
		int m = epoll_wait(ep, evs, 256, 500);
		for (int i = 0; i < m; i++) {
			struct conn *k = evs[i].data.ptr;
			if (k->st == CONNECTING) {
				int err = 0;
				socklen_t el = sizeof err;
				getsockopt(k->fd, SOL_SOCKET, SO_ERROR, &err, &el);
				if (err || write(k->fd, req, reqlen) != reqlen) {
					failed(err ? strerror(err) : "short write of the request");
					goto drop;
				}
				k->st = UPGRADING;
				struct epoll_event e = { .events = EPOLLIN, .data.ptr = k };
				epoll_ctl(ep, EPOLL_CTL_MOD, k->fd, &e);
				continue;
			}
			ssize_t r = read(k->fd, k->buf + k->have, sizeof k->buf - k->have);
			if (r <= 0) {
				if (r < 0 && errno == EAGAIN) continue;
				failed(k->st == UPGRADING ? "closed during the upgrade" : "closed before the message");
				goto drop;
			}
			k->have += r;
			if (k->st == UPGRADING) {
				char *end = memmem(k->buf, k->have, "\r\n\r\n", 4);
				if (!end) {
					if (k->have == (int)sizeof k->buf) { failed("an answer head over 1 KiB"); goto drop; }
					continue;
				}
				long long t = now_ns();
				pending--;
				if (k->have < 12 || memcmp(k->buf, "HTTP/1.1 101", 12)) {
					char line[120];
					int l = (int)strcspn(k->buf, "\r\n");
					snprintf(line, sizeof line, "upgrade refused: %.*s", l > 100 ? 100 : l, k->buf);
					failed(line);
					k->st = DONE;
					close(k->fd);
					k->fd = -1;
					ended++;
					continue;
				}
				answered[opened++] = t;
				int rest = k->have - (int)(end + 4 - k->buf);
				memmove(k->buf, end + 4, rest);
				k->have = rest;
				k->st = WAITING;
				if (opened == n) connect_cpu = cpu_s() - cpu0;
			}
			if (k->st == WAITING && frame_complete((unsigned char *)k->buf, k->have, size)) {
				arrived[messages++] = now_ns();
				k->st = DONE;
				epoll_ctl(ep, EPOLL_CTL_DEL, k->fd, NULL);
				ended++;
			} else if (k->st == WAITING && k->have == (int)sizeof k->buf) {
				failed("a frame over 1 KiB");
				goto drop;
			}
			continue;
		drop:
			if (k->st == CONNECTING || k->st == UPGRADING) pending--;
			k->st = DONE;
			close(k->fd);
			k->fd = -1;
			ended++;
		}
	}
	if (opened < n && connect_cpu == 0) connect_cpu = cpu_s() - cpu0;
	for (int i = 0; i < n; i++)
		if (c[i].st == CONNECTING || c[i].st == UPGRADING) failed("no 101 within the timeout");
	qsort(answered, opened, sizeof *answered, cmp_ll);
	qsort(arrived, messages, sizeof *arrived, cmp_ll);
	FILE *f = fopen(out, "w");
	if (!f) { perror(out); return 1; }
	fprintf(f, "{\"connections\": %d, \"failed\": %d, \"failures\": [", opened, failures);
	for (int i = 0; i < failures && i < 5; i++) {
		if (i) fputs(", ", f);
		json_string(f, failure_text[i]);
	}
	fprintf(f, "], \"first_101\": %lld, \"middle_101\": %lld, \"last_101\": %lld, \"first_arrival\": %lld, "
	           "\"last_arrival\": %lld, \"messages\": %d, \"client_connect_cpu_s\": %.3f, \"client_cpu_s\": %.3f, "
	           "\"processes\": 1}\n",
	    opened ? answered[0] : 0, opened ? answered[opened / 2] : 0, opened ? answered[opened - 1] : 0,
	    messages ? arrived[0] : 0, messages ? arrived[messages - 1] : 0, messages, connect_cpu, cpu_s() - cpu0);
	fclose(f);
	FILE *r = fopen(ready, "w");
	if (r) fclose(r);
	fprintf(stderr, "wsidle: %d connections open (%d failed), %d messages arrived; holding until released\n",
	    opened, failures, messages);
	pid_t parent = getppid();
	for (int i = 0; i < 6000 && !exists(release) && getppid() == parent; i++) usleep(100000);
	for (int i = 0; i < n; i++)
		if (c[i].fd > 0) close(c[i].fd);
	return opened == n ? 0 : 1;
}
