/* nngrep: a REP server on NNG's library (libnng) that answers "pong" to every request and, unlike nngcat,
 * keeps serving after a reply fails (nngcat exits on its first failed send). scripts/hostile.sh runs it as NNG's
 * side of the rep-flood scenario, to see how NNG's REP treats other requesters while one floods it.
 *
 *   nngrep <url> <send-timeout-ms>
 *
 * Prints one line on stderr per failed send. Build: gcc -O2 -o nngrep nngrep.c -lnng -lpthread
 */
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
	nng_socket s;
	int rv;
	long failed = 0;
	if (argc != 3) {
		fprintf(stderr, "usage: nngrep <url> <send-timeout-ms>\n");
		return 2;
	}
	if ((rv = nng_rep0_open(&s)) != 0 || (rv = nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, atoi(argv[2]))) != 0 ||
	    (rv = nng_listen(s, argv[1], NULL, 0)) != 0) {
		fprintf(stderr, "nngrep: %s\n", nng_strerror(rv));
		return 1;
	}
	for (;;) {
		nng_msg *m;
		if ((rv = nng_recvmsg(s, &m, 0)) != 0) {
			fprintf(stderr, "nngrep: receive: %s\n", nng_strerror(rv));
			return 1;
		}
		nng_msg_clear(m);
		nng_msg_append(m, "pong", 4);
		if ((rv = nng_sendmsg(s, m, 0)) != 0) {
			nng_msg_free(m);
			fprintf(stderr, "nngrep: send failed (%ld so far): %s\n", ++failed, nng_strerror(rv));
		}
	}
}
