// Command etcd runs one embedded etcd member for the e2e cluster: a single
// node on loopback, data in the directory given, stopped by SIGTERM/SIGINT.
package main

import (
	"flag"
	"log"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	"go.etcd.io/etcd/server/v3/embed"
)

func main() {
	dataDir := flag.String("data-dir", "", "directory for the member's data (required)")
	clientURL := flag.String("listen-client-url", "", "client URL, e.g. http://127.0.0.1:2379 (required)")
	peerURL := flag.String("listen-peer-url", "", "peer URL, e.g. http://127.0.0.1:2380 (required)")
	flag.Parse()
	if *dataDir == "" || *clientURL == "" || *peerURL == "" {
		log.Fatal("etcd: -data-dir, -listen-client-url and -listen-peer-url are required")
	}
	client, err := url.Parse(*clientURL)
	if err != nil {
		log.Fatalf("etcd: -listen-client-url: %v", err)
	}
	peer, err := url.Parse(*peerURL)
	if err != nil {
		log.Fatalf("etcd: -listen-peer-url: %v", err)
	}

	cfg := embed.NewConfig()
	cfg.Dir = *dataDir
	cfg.ListenClientUrls = []url.URL{*client}
	cfg.AdvertiseClientUrls = []url.URL{*client}
	cfg.ListenPeerUrls = []url.URL{*peer}
	cfg.AdvertisePeerUrls = []url.URL{*peer}
	cfg.InitialCluster = cfg.Name + "=" + peer.String()
	cfg.LogLevel = "warn"

	server, err := embed.StartEtcd(cfg)
	if err != nil {
		log.Fatalf("etcd: start: %v", err)
	}
	<-server.Server.ReadyNotify()
	log.Printf("etcd: ready on %s", client)

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-signals:
	case err := <-server.Err():
		log.Printf("etcd: %v", err)
	}
	server.Close()
}
