/*
 * udp_relay.c - the floor of bench/media/compare.sh: a plain UDP relay that does what an RTP anchor does per
 * packet, minus everything else (no RTP parsing, no SIP, no timers).
 *
 * Session i (0 <= i < N) has two sockets on listen_ip:
 *     A-facing  base + 2*i      (the address given to side A in "its" SDP)
 *     B-facing  base + 2*i + 1  (the address given to side B)
 * A datagram arriving on the A-facing socket goes out of the B-facing socket to B's address, and vice versa.
 * Symmetric / latching like an anchor: the source of the first datagram received on a socket becomes that
 * side's address from then on. Until a side has sent, its address is the one given with -a / -b (what the
 * SDP said); without -a / -b datagrams for a side that has not sent yet are dropped (counted).
 *
 * Single thread, level-triggered epoll, recvfrom() / sendto() one datagram per system call: the "plain" relay
 * the benchmark wants as the floor (no recvmmsg/sendmmsg batching, no GSO, no threads).
 *
 * With -f it writes the session file of rtpgen (../shared/peers/c/rtpgen.c): one line per session,
 * "<A-facing port> <B-facing port>", i.e. where side A sends and where side B sends.
 * Runs until -t seconds have passed or SIGTERM/SIGINT, then prints one key=value summary line on stdout.
 *
 *   udp_relay -n 500 -p 36000 -f sessions.txt -a 127.0.0.1:26200 -b 127.0.0.1:26202 -t 60
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_flag;
static void on_signal(int s) { (void)s; stop_flag = 1; }

struct side {                 /* one socket of a session: index 2*i = A-facing, 2*i+1 = B-facing */
    int fd;
    int latched;              /* peer is the source of a received datagram (not the -a/-b default) */
    int known;                /* peer is usable (latched, or given with -a/-b) */
    struct sockaddr_in peer;  /* where datagrams for this side go */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int parse_addr(const char *text, struct sockaddr_in *sa)
{
    char ip[64];
    const char *colon = strrchr(text, ':');
    if (!colon || (size_t)(colon - text) >= sizeof ip) return -1;
    memcpy(ip, text, (size_t)(colon - text));
    ip[colon - text] = 0;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)atoi(colon + 1));
    return inet_pton(AF_INET, ip, &sa->sin_addr) == 1 ? 0 : -1;
}

static void usage(void)
{
    fprintf(stderr, "usage: udp_relay -n sessions -p base_port [-l listen_ip] [-f session_file]\n"
                    "                 [-a ip:port] [-b ip:port] [-t seconds] [-r rcvbuf_bytes]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *listen_ip = "127.0.0.1", *session_file = NULL;
    int n = 0, base = 0, rcvbuf = 0, c;
    double seconds = 3600;
    struct sockaddr_in dflt[2];
    int have_dflt[2] = { 0, 0 };
    while ((c = getopt(argc, argv, "n:p:l:f:a:b:t:r:h")) != -1) {
        switch (c) {
        case 'n': n = atoi(optarg); break;
        case 'p': base = atoi(optarg); break;
        case 'l': listen_ip = optarg; break;
        case 'f': session_file = optarg; break;
        case 'a': if (parse_addr(optarg, &dflt[0])) usage(); have_dflt[0] = 1; break;
        case 'b': if (parse_addr(optarg, &dflt[1])) usage(); have_dflt[1] = 1; break;
        case 't': seconds = atof(optarg); break;
        case 'r': rcvbuf = atoi(optarg); break;
        default: usage();
        }
    }
    if (n <= 0 || base <= 0 || base + 2 * n > 65536) usage();
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    struct side *sides = calloc((size_t)n * 2, sizeof *sides);
    int ep = epoll_create1(0);
    if (!sides || ep < 0) { perror("setup"); return 2; }
    for (int k = 0; k < 2 * n; k++) {
        struct side *s = &sides[k];
        s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        if (s->fd < 0) { perror("socket"); return 2; }
        if (rcvbuf > 0) setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)(base + k)) };
        inet_pton(AF_INET, listen_ip, &sa.sin_addr);
        if (bind(s->fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
            fprintf(stderr, "bind %s:%d: %s\n", listen_ip, base + k, strerror(errno));
            return 2;
        }
        if (have_dflt[k & 1]) { s->peer = dflt[k & 1]; s->known = 1; }
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)k };
        if (epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev) < 0) { perror("epoll_ctl"); return 2; }
    }
    if (session_file) {
        FILE *f = fopen(session_file, "w");
        if (!f) { perror(session_file); return 2; }
        for (int i = 0; i < n; i++) fprintf(f, "%d %d\n", base + 2 * i, base + 2 * i + 1);
        fclose(f);
    }
    fprintf(stderr, "udp_relay: %d sessions on %s:%d-%d\n", n, listen_ip, base, base + 2 * n - 1);

    uint64_t rx = 0, tx = 0, no_peer = 0, send_err = 0;
    double t0 = now_s(), cpu0 = cpu_s(), end = t0 + seconds;
    static char buf[65536];
    struct epoll_event evs[256];
    while (!stop_flag && now_s() < end) {
        int ne = epoll_wait(ep, evs, 256, 100);
        for (int e = 0; e < ne; e++) {
            int k = (int)evs[e].data.u32;
            struct side *in = &sides[k], *out = &sides[k ^ 1];
            for (;;) { /* drain this socket, one datagram per recvfrom */
                struct sockaddr_in from;
                socklen_t fromlen = sizeof from;
                ssize_t len = recvfrom(in->fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);
                if (len < 0) break; /* EAGAIN: drained */
                rx++;
                if (!in->latched) { in->peer = from; in->latched = in->known = 1; }
                if (!out->known) { no_peer++; continue; }
                if (sendto(out->fd, buf, (size_t)len, 0, (struct sockaddr *)&out->peer, sizeof out->peer) == len)
                    tx++;
                else
                    send_err++;
            }
        }
    }
    double wall = now_s() - t0, cpu = cpu_s() - cpu0;
    printf("udp_relay sessions=%d rx=%llu tx=%llu no_peer=%llu send_err=%llu wall_s=%.3f cpu_s=%.3f\n", n,
           (unsigned long long)rx, (unsigned long long)tx, (unsigned long long)no_peer,
           (unsigned long long)send_err, wall, cpu);
    return 0;
}
