/** What every kind of Ingress of an ApiService shares: its name, labels and the one rule sending host + path to the Service. */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { CostTags, kubernetesLabels } from "../tagging";
import { selectorLabels } from "./deployment";
import { PORT_NAME } from "./pod";

export const DEFAULT_PATH = "/";

/** Metadata of a Kubernetes object of the ingress path (the Ingress, its certificate and configs). */
export function ingressMetadata(
  objectName: string,
  componentName: string,
  namespace: pulumi.Input<string>,
  tags: CostTags,
  annotations?: Record<string, pulumi.Input<string>>,
): k8s.types.input.meta.v1.ObjectMeta {
  return {
    name: objectName,
    namespace,
    labels: { ...kubernetesLabels(tags), ...selectorLabels(componentName), "app.kubernetes.io/component": "ingress" },
    ...(annotations ? { annotations } : {}),
  };
}

/** `host` + `path` (a prefix) to the Service's http port. */
export function ingressRule(host: string, path: string | undefined, service: k8s.core.v1.Service): k8s.types.input.networking.v1.IngressRule {
  return {
    host,
    http: {
      paths: [{ path: path ?? DEFAULT_PATH, pathType: "Prefix", backend: { service: { name: service.metadata.name, port: { name: PORT_NAME } } } }],
    },
  };
}
