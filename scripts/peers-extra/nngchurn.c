/* nngchurn: the real NNG dialer of `scripts/churn.sh --modes swap`, linked against the system's libnng (Debian
 * libnng-dev). It dials and stays up while the Sprocket listener it dials is killed and restarted; unlike nngcat it
 * sets the dialer's reconnect times, so the time to a new pipe measures the listener's restart and not NNG's
 * default back-off (nngcat has no option for it: NNG 1.5's dialer starts at NNG_OPT_RECONNMINT and doubles while
 * it keeps failing).
 *
 *   nngchurn <proto> <url> [--reconnect-ms R] [--interval-ms I] [--insecure]
 *
 * proto: the NNG side's protocol, one of req rep pub sub push pull surveyor respondent pair1. The dialer uses
 * NNG_OPT_RECONNMINT = NNG_OPT_RECONNMAXT = R (default 100 ms: a retry within 0-100 ms, as the issue's
 * reconnect-time-min 100 ms). Senders send "x" (REQ "ping", SURVEYOR "q") every I ms (default 100), with a send
 * and receive timeout of 1 s; repliers answer "pong". Every message received is printed as one line. tls+tcp
 * URLs need --insecure (the churn's certificate is self-signed). Runs until killed.
 * Build: gcc -O2 -o nngchurn nngchurn.c -lnng
 */
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what, int rv) { fprintf(stderr, "nngchurn: %s: %s\n", what, nng_strerror(rv)); exit(1); }

/* Receives one message and prints it as a line; 0 if none came within the receive timeout. */
static int recv_line(nng_socket s) {
	nng_msg *m;
	int rv = nng_recvmsg(s, &m, 0);
	if (rv == NNG_ETIMEDOUT || rv == NNG_ESTATE) {
		return 0;
	}
	if (rv) die("recv", rv);
	printf("%.*s\n", (int) nng_msg_len(m), (char *) nng_msg_body(m));
	fflush(stdout);
	nng_msg_free(m);
	return 1;
}

static void send_str(nng_socket s, const char *data) {
	int rv = nng_send(s, (void *) data, strlen(data), 0);
	if (rv && rv != NNG_ETIMEDOUT && rv != NNG_EAGAIN) die("send", rv);
}

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: nngchurn <proto> <url> [--reconnect-ms R] [--interval-ms I] [--insecure]\n");
		return 2;
	}
	const char *proto = argv[1], *url = argv[2];
	int reconnect = 100, interval = 100, insecure = 0, rv;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--insecure")) insecure = 1;
		else if (!strcmp(argv[i], "--reconnect-ms") && i + 1 < argc) reconnect = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--interval-ms") && i + 1 < argc) interval = atoi(argv[++i]);
		else { fprintf(stderr, "nngchurn: unknown argument %s\n", argv[i]); return 2; }
	}
	nng_socket s;
	if (!strcmp(proto, "req")) rv = nng_req0_open(&s);
	else if (!strcmp(proto, "rep")) rv = nng_rep0_open(&s);
	else if (!strcmp(proto, "pub")) rv = nng_pub0_open(&s);
	else if (!strcmp(proto, "sub")) rv = nng_sub0_open(&s);
	else if (!strcmp(proto, "push")) rv = nng_push0_open(&s);
	else if (!strcmp(proto, "pull")) rv = nng_pull0_open(&s);
	else if (!strcmp(proto, "surveyor")) rv = nng_surveyor0_open(&s);
	else if (!strcmp(proto, "respondent")) rv = nng_respondent0_open(&s);
	else if (!strcmp(proto, "pair1")) rv = nng_pair1_open(&s);
	else { fprintf(stderr, "nngchurn: unknown protocol %s\n", proto); return 2; }
	if (rv) die("open", rv);
	if (!strcmp(proto, "sub") && (rv = nng_socket_set(s, NNG_OPT_SUB_SUBSCRIBE, "", 0))) die("subscribe", rv);
	if (!strcmp(proto, "surveyor") && (rv = nng_socket_set_ms(s, NNG_OPT_SURVEYOR_SURVEYTIME, 500))) die("survey time", rv);
	if ((rv = nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 1000)) || (rv = nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 1000)))
		die("timeouts", rv);

	nng_dialer d;
	if ((rv = nng_dialer_create(&d, s, url))) die("dialer", rv);
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

	for (;;) {
		if (!strcmp(proto, "rep") || !strcmp(proto, "respondent")) {
			if (recv_line(s)) send_str(s, "pong");
		} else if (!strcmp(proto, "sub") || !strcmp(proto, "pull")) {
			recv_line(s);
		} else if (!strcmp(proto, "req")) {
			send_str(s, "ping");
			recv_line(s);
			nng_msleep(interval);
		} else if (!strcmp(proto, "surveyor")) {
			send_str(s, "q");
			while (recv_line(s)) {
			}
			nng_msleep(interval);
		} else if (!strcmp(proto, "pair1")) {
			send_str(s, "x");
			nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, interval);
			recv_line(s);
		} else { /* pub, push */
			send_str(s, "x");
			nng_msleep(interval);
		}
	}
}
