package dev.uvgl.dmnil;

import dev.uvgl.backend.Backend;
import dev.uvgl.dmnil.memory.ClusterMemory;
import dev.uvgl.dmnil.memory.DhmlMemory;
import dev.uvgl.dmnil.memory.InstanceMemory;
import dev.uvgl.model.weights.HostArray;
import dev.uvgl.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The memories of one epoch (dmnil.md sections 4 and 5), rebuilt from that epoch's pseudo labels: before
 * `cmlabel` each view has a plain cluster memory and a DHML memory (PerView); from `cmlabel` both views share
 * two plain cluster memories over the unified (drone-cluster) labels (Shared). The reference's dual paths are
 * fed the same embedding, so one instance memory per view stands for both of its copies (IM_s equals IM at
 * every step); the two cluster memories per view are kept, as the reference has them.
 */
public sealed interface EpochMemories permits EpochMemories.PerView, EpochMemories.Shared {
    InstanceMemory droneInstances();

    InstanceMemory satelliteInstances();

    /** Labels that select cluster-memory rows for each training row (-1: the row is not sampled). */
    int[] droneLabels();

    int[] satelliteLabels();

    /** Rows of each cluster memory by name: ln of these is the loss of a feature that tells no cluster apart. */
    Map<String, Integer> clusterCounts();

    /** Every bank as host arrays, by checkpoint name. */
    Map<String, HostArray> arrays();

    /**
     * Frees the epoch's banks (made outside every step scope, so they outlive the steps); the next epoch
     * builds its own. The labels are host arrays and stay.
     */
    void close();

    /** Epochs before cmlabel: per view a cluster memory and a DHML memory. */
    record PerView(InstanceMemory droneInstances, InstanceMemory satelliteInstances, int[] droneLabels,
                   int[] satelliteLabels,
                   ClusterMemory droneCluster, ClusterMemory satelliteCluster, DhmlMemory droneDhml,
                   DhmlMemory satelliteDhml)
            implements EpochMemories {
        @Override public Map<String, Integer> clusterCounts() {
            Map<String, Integer> out = new LinkedHashMap<>();
            out.put("drone", droneCluster.clusters());
            out.put("satellite", satelliteCluster.clusters());
            return out;
        }

        @Override public Map<String, HostArray> arrays() {
            Map<String, HostArray> out = instanceArrays(this);
            out.put("cluster_drone", host(droneCluster.rows()));
            out.put("cluster_satellite", host(satelliteCluster.rows()));
            return out;
        }

        @Override public void close() {
            closeInstances(this);
            droneCluster.rows().close();
            satelliteCluster.rows().close();
            for (DhmlMemory d : List.of(droneDhml, satelliteDhml)) {
                d.cluster().rows().close();
                d.shortTerm().close();
                d.longTerm().close();
            }
        }
    }

    /** From cmlabel: two cluster memories both views share (the reference's `memory` and `memory_s`). */
    record Shared(InstanceMemory droneInstances, InstanceMemory satelliteInstances, int[] droneLabels,
                  int[] satelliteLabels,
                  ClusterMemory shared, ClusterMemory sharedS) implements EpochMemories {
        @Override public Map<String, Integer> clusterCounts() { return Map.of("shared", shared.clusters()); }

        @Override public Map<String, HostArray> arrays() {
            Map<String, HostArray> out = instanceArrays(this);
            out.put("shared", host(shared.rows()));
            out.put("shared_s", host(sharedS.rows()));
            return out;
        }

        @Override public void close() {
            closeInstances(this);
            shared.rows().close();
            sharedS.rows().close();
        }
    }

    /** Per-view memories (epochs before cmlabel). */
    static PerView perView(Backend be, PseudoLabels drone, PseudoLabels sat, double momentum) {
        int d = drone.dim();
        return new PerView(
                InstanceMemory.of(be, drone.unitFeatures(), drone.labels().length, d, drone.labels()),
                InstanceMemory.of(be, sat.unitFeatures(), sat.labels().length, d, sat.labels()),
                drone.labels(), sat.labels(),
                ClusterMemory.of(be, drone.centroids(), drone.clusters(), d, momentum),
                ClusterMemory.of(be, sat.centroids(), sat.clusters(), d, momentum),
                new DhmlMemory(ClusterMemory.of(be, drone.centroids(), drone.clusters(), d, momentum)),
                new DhmlMemory(ClusterMemory.of(be, sat.centroids(), sat.clusters(), d, momentum)));
    }

    /**
     * Shared memories (from cmlabel): centroids over both views' rows under the unified labels, every row
     * with a unified label counted (satellite DBSCAN outliers included); the satellite rows train only
     * where both the unified label and their own DBSCAN label are != -1.
     */
    static Shared shared(Backend be, PseudoLabels drone, PseudoLabels sat, int[] unifiedSat, float[] droneRaw,
                         float[] satRaw,
                         double sharedMomentum) {
        int d = drone.dim(), nd = drone.labels().length, ns = unifiedSat.length, c = drone.clusters();
        int[] all = new int[nd + ns];
        System.arraycopy(drone.labels(), 0, all, 0, nd);
        System.arraycopy(unifiedSat, 0, all, nd, ns);
        float[] raw = new float[(nd + ns) * d];
        System.arraycopy(droneRaw, 0, raw, 0, nd * d);
        System.arraycopy(satRaw, 0, raw, nd * d, ns * d);
        float[] centroids = PseudoLabels.centroids(all, c, raw, nd + ns, d);
        int[] satTrain = new int[ns];
        for (int i = 0; i < ns; i++) satTrain[i] = unifiedSat[i] >= 0 && sat.labels()[i] >= 0 ? unifiedSat[i] : -1;
        return new Shared(
                InstanceMemory.of(be, drone.unitFeatures(), nd, d, drone.labels()),
                InstanceMemory.of(be, sat.unitFeatures(), ns, d, sat.labels()),
                drone.labels(), satTrain,
                ClusterMemory.of(be, centroids, c, d, sharedMomentum),
                ClusterMemory.of(be, centroids, c, d, sharedMomentum));
    }

    private static Map<String, HostArray> instanceArrays(EpochMemories m) {
        Map<String, HostArray> out = new LinkedHashMap<>();
        out.put("instance_drone", host(m.droneInstances().rows()));
        out.put("instance_satellite", host(m.satelliteInstances().rows()));
        return out;
    }

    private static void closeInstances(EpochMemories m) {
        m.droneInstances().rows().close();
        m.satelliteInstances().rows().close();
    }

    private static HostArray host(Tensor t) { return new HostArray(t.shape().dims(), t.toFloatArray()); }
}
