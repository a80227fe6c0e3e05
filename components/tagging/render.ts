/** Renders one set of cost tags into the shape each platform's resources take them in. */
type Tags = Readonly<Record<string, string>>;

/** AWS `tags`, `volumeTags`, `tagsAll`-style maps. */
export function awsTags(tags: Tags): Record<string, string> {
  return { ...tags };
}

/** Launch-template `tagSpecifications`: the tags reach the instances and volumes the template launches. */
export function awsLaunchTemplateTagSpecifications(tags: Tags): { resourceType: string; tags: Record<string, string> }[] {
  return ["instance", "volume"].map((resourceType) => ({ resourceType, tags: { ...tags } }));
}

/** Auto Scaling group `tags`, propagated to the instances it launches. */
export function awsAutoScalingTags(tags: Tags): { key: string; value: string; propagateAtLaunch: boolean }[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true }));
}

/** GCP `labels`, `resourceLabels`, `settings.userLabels`, `nodeConfig.resourceLabels`. */
export function gcpLabels(tags: Tags): Record<string, string> {
  return { ...tags };
}

/** Kubernetes `metadata.labels` and pod-template labels (never selectors: those are immutable). */
export function kubernetesLabels(tags: Tags): Record<string, string> {
  return { ...tags };
}
