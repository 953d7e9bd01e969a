namespace AspireVector.Tests.Dashboard.Fakes;

/// <summary>Answers copied from the seeds (real Qdrant curl output), the contract the client must read.</summary>
public static class SeedJson
{
    /// <summary><c>GET /cluster</c> on qdrant-cluster-2 from seed 000, with a message send failure.</summary>
    public const string ClusterWithFailure = """
        {
          "result": {
            "status": "enabled",
            "peer_id": 3388008540355016,
            "peers": {
              "1903200026991620": { "uri": "http://qdrant-cluster-0.qdrant-cluster-pods.default.svc.cluster.local:6335/" },
              "3388008540355016": { "uri": "http://qdrant-cluster-2.qdrant-cluster-pods.default.svc.cluster.local:6335/" },
              "7301051252924645": { "uri": "http://qdrant-cluster-1.qdrant-cluster-pods.default.svc.cluster.local:6335/" }
            },
            "raft_info": { "term": 2, "commit": 24, "pending_operations": 0, "leader": 7301051252924645, "role": "Follower", "is_voter": true },
            "consensus_thread_status": { "consensus_thread_status": "working", "last_update": "2025-08-22T13:57:21.517474090Z" },
            "message_send_failures": {
              "http://qdrant-cluster-0.qdrant-cluster-pods.default.svc.cluster.local:6335/": {
                "count": 2,
                "latest_error": "Error in closure supplied to transport channel pool: status: Unavailable",
                "latest_error_timestamp": "2025-08-22T13:53:34.551697066Z"
              }
            }
          },
          "status": "ok",
          "time": 0.000019788
        }
        """;

    /// <summary><c>GET /cluster</c> from seed 003, whose ids exceed 2^53 (JavaScript would round them).</summary>
    public const string ClusterWithHugeIds = """
        {
          "result": {
            "status": "enabled",
            "peer_id": 11532566549086892528,
            "peers": {
              "9834046559507417430": { "uri": "http://172.18.0.3:6335/" },
              "11532566549086892528": { "uri": "http://qdrant_node_1:6335/" }
            },
            "raft_info": { "term": 1, "commit": 4, "pending_operations": 1, "leader": 11532566549086892528, "role": "Leader" }
          },
          "status": "ok",
          "time": 5.731e-06
        }
        """;
}
