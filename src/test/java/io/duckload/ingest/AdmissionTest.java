package io.duckload.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/** Permits for records in flight: granted at once while free, then in arrival order as others are released. */
class AdmissionTest {

    @Test
    void permitsAreGrantedAtOnceUntilAllAreTaken() {
        Admission admission = new Admission(2);

        assertThat(admission.acquire()).isCompleted();
        assertThat(admission.acquire()).isCompleted();
        assertThat(admission.acquire()).isNotDone();
    }

    @Test
    void aReleasedPermitGoesToTheLongestWaiter() {
        Admission admission = new Admission(1);
        admission.acquire();
        CompletableFuture<Void> second = admission.acquire();
        CompletableFuture<Void> third = admission.acquire();

        admission.release();
        assertThat(second).isCompleted();
        assertThat(third).isNotDone();

        admission.release();
        assertThat(third).isCompleted();
    }

    @Test
    void aPermitHandedToAWaiterIsNotAlsoFreeForANewcomer() {
        Admission admission = new Admission(1);
        admission.acquire();
        CompletableFuture<Void> waiter = admission.acquire();

        admission.release();

        assertThat(waiter).isCompleted();
        assertThat(admission.acquire()).as("the only permit is the waiter's now").isNotDone();
    }

    @Test
    void permitsReleasedWithNobodyWaitingAreFreeAgain() {
        Admission admission = new Admission(2);
        admission.acquire();
        admission.acquire();

        admission.release();
        admission.release();

        assertThat(admission.acquire()).isCompleted();
        assertThat(admission.acquire()).isCompleted();
        assertThat(admission.acquire()).isNotDone();
    }
}
