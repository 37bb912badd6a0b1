/*
 * fcgi-hello.c: the benchmark's ceiling: the least a libfcgi program can do
 * behind nginx.  THREADS threads each accept on the socket given as the
 * first argument and answer every request with the same 2 KB page.
 *   cc -O2 -pthread fcgi-hello.c -lfcgi -o fcgi-hello
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <fcgiapp.h>

#define THREADS	4

static int		 sock;
static pthread_mutex_t	 accept_lock = PTHREAD_MUTEX_INITIALIZER;
static char		 page[2048];

static void *
serve(void *arg)
{
	FCGX_Request	 r;
	int		 rc;

	(void)arg;
	FCGX_InitRequest(&r, sock, 0);
	for (;;) {
		pthread_mutex_lock(&accept_lock);
		rc = FCGX_Accept_r(&r);
		pthread_mutex_unlock(&accept_lock);
		if (rc < 0)
			break;
		FCGX_PutS("Status: 200 OK\r\nContent-Type: text/html\r\n"
		    "Content-Length: 2048\r\n\r\n", r.out);
		FCGX_PutStr(page, sizeof(page), r.out);
		FCGX_Finish_r(&r);
	}
	return NULL;
}

int
main(int argc, char *argv[])
{
	pthread_t	 t[THREADS];
	int		 i;

	if (argc != 2) {
		fprintf(stderr, "usage: fcgi-hello SOCKET\n");
		return 2;
	}
	memset(page, 'x', sizeof(page));
	memcpy(page, "<!DOCTYPE html><p>", 18);
	FCGX_Init();
	if ((sock = FCGX_OpenSocket(argv[1], 1024)) < 0) {
		perror(argv[1]);
		return 1;
	}
	chmod(argv[1], 0666);
	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, serve, NULL);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	return 0;
}
