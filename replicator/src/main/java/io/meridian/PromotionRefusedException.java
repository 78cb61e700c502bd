package io.meridian;

/** A promotion or switchover was refused; the message says why (e.g. the lag that data-loss would cost). */
public class PromotionRefusedException extends MeridianException {

    public PromotionRefusedException(String message) {
        super(message);
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
