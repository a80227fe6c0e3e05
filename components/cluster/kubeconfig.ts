/** Kubeconfig documents whose user runs an exec credential plugin, so no token is ever stored. */
export interface KubeconfigCluster {
  /** Context, cluster and user name inside the document. */
  readonly name: string;
  readonly server: string;
  readonly certificateAuthorityData: string;
}

type Exec = Record<string, unknown>;

function kubeconfig(cluster: KubeconfigCluster, exec: Exec): string {
  const { name } = cluster;
  return JSON.stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name, cluster: { server: cluster.server, "certificate-authority-data": cluster.certificateAuthorityData } }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      "current-context": name,
      users: [{ name, user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", interactiveMode: "Never", ...exec } } }],
    },
    null,
    2,
  );
}

export function eksKubeconfig(cluster: KubeconfigCluster, clusterName: string, region: string): string {
  return kubeconfig(cluster, { command: "aws", args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region] });
}

export function gkeKubeconfig(cluster: KubeconfigCluster): string {
  return kubeconfig(cluster, {
    command: "gke-gcloud-auth-plugin",
    installHint: "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin",
    provideClusterInfo: true,
  });
}
