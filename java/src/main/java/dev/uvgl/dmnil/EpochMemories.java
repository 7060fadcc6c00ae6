package dev.uvgl.dmnil;

import dev.uvgl.backend.Backend;
import dev.uvgl.dmnil.memory.ClusterMemory;
import dev.uvgl.dmnil.memory.DhmlMemory;
import dev.uvgl.dmnil.memory.InstanceMemory;

/**
 * The memories of one epoch (dmnil.md sections 4 and 5), rebuilt from that epoch's pseudo labels.
 * Before `cmlabel` each view has a plain cluster memory and a DHML memory; from `cmlabel` both views
 * share two plain cluster memories over the unified (drone-cluster) labels. The reference's dual
 * paths are fed the same embedding, so one instance memory per view stands for both of its copies
 * (IM_s equals IM at every step); the two cluster memories per view are kept, as the reference has them.
 */
public final class EpochMemories {
    final InstanceMemory droneInstances, satelliteInstances;
    /** Labels that select cluster-memory rows for each training row (-1: the row is not sampled). */
    final int[] droneLabels, satelliteLabels;
    final ClusterMemory droneCluster, satelliteCluster, shared, sharedS;
    final DhmlMemory droneDhml, satelliteDhml;

    private EpochMemories(InstanceMemory di, InstanceMemory si, int[] dl, int[] sl, ClusterMemory dc, ClusterMemory sc,
                          DhmlMemory dd, DhmlMemory sd, ClusterMemory shared, ClusterMemory sharedS) {
        this.droneInstances = di; this.satelliteInstances = si; this.droneLabels = dl; this.satelliteLabels = sl;
        this.droneCluster = dc; this.satelliteCluster = sc; this.droneDhml = dd; this.satelliteDhml = sd;
        this.shared = shared; this.sharedS = sharedS;
    }

    public boolean isShared() { return shared != null; }

    /** Per-view memories (epochs before cmlabel). */
    static EpochMemories perView(Backend be, PseudoLabels drone, PseudoLabels sat, double momentum) {
        int d = drone.dim();
        return new EpochMemories(
                InstanceMemory.of(be, drone.unitFeatures(), drone.labels().length, d, drone.labels()),
                InstanceMemory.of(be, sat.unitFeatures(), sat.labels().length, d, sat.labels()),
                drone.labels(), sat.labels(),
                ClusterMemory.of(be, drone.centroids(), drone.clusters(), d, momentum),
                ClusterMemory.of(be, sat.centroids(), sat.clusters(), d, momentum),
                new DhmlMemory(ClusterMemory.of(be, drone.centroids(), drone.clusters(), d, momentum)),
                new DhmlMemory(ClusterMemory.of(be, sat.centroids(), sat.clusters(), d, momentum)),
                null, null);
    }

    /**
     * Shared memories (from cmlabel): centroids over both views' rows under the unified labels, every row
     * with a unified label counted (satellite DBSCAN outliers included); the satellite rows train only
     * where both the unified label and their own DBSCAN label are != -1.
     */
    static EpochMemories shared(Backend be, PseudoLabels drone, PseudoLabels sat, int[] unifiedSat, float[] droneRaw, float[] satRaw,
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
        return new EpochMemories(
                InstanceMemory.of(be, drone.unitFeatures(), nd, d, drone.labels()),
                InstanceMemory.of(be, sat.unitFeatures(), ns, d, sat.labels()),
                drone.labels(), satTrain, null, null, null, null,
                ClusterMemory.of(be, centroids, c, d, sharedMomentum),
                ClusterMemory.of(be, centroids, c, d, sharedMomentum));
    }

    /** Rows of each cluster memory by name: ln of these is the loss of a feature that tells no cluster apart. */
    public java.util.Map<String, Integer> clusterCounts() {
        java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
        if (isShared()) out.put("shared", shared.clusters());
        else {
            out.put("drone", droneCluster.clusters());
            out.put("satellite", satelliteCluster.clusters());
        }
        return out;
    }

    /**
     * Frees the epoch's banks (made outside every step scope, so they outlive the steps); the next epoch
     * builds its own. The labels are host arrays and stay.
     */
    public void close() {
        for (var t : java.util.List.of(droneInstances.rows(), satelliteInstances.rows())) t.close();
        for (ClusterMemory c : new ClusterMemory[] {droneCluster, satelliteCluster, shared,
                sharedS}) if (c != null) c.rows().close();
        for (DhmlMemory d : new DhmlMemory[] {droneDhml, satelliteDhml})
            if (d != null) {
                d.cluster().rows().close();
                d.shortTerm().close();
                d.longTerm().close();
            }
    }

    public InstanceMemory droneInstances() { return droneInstances; }

    public InstanceMemory satelliteInstances() { return satelliteInstances; }

    public int[] droneLabels() { return droneLabels.clone(); }

    public int[] satelliteLabels() { return satelliteLabels.clone(); }
}
