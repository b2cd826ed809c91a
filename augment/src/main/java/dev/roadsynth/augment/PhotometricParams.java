package dev.roadsynth.augment;

/**
 * Image-only effects after the colour matrix, in this order: gamma (a lookup table on 0..255), Gaussian blur,
 * then Gaussian noise drawn from its own seed (recorded here, so that a replay adds the same noise).
 *
 * @param gamma      exponent on values scaled to 0..1; 1 = unchanged
 * @param blurSigma  standard deviation of the blur in pixels; 0 = none
 * @param noiseSigma standard deviation of the noise in 0..255 units; 0 = none
 * @param noiseSeed  seed of the noise
 */
public record PhotometricParams(double gamma, double blurSigma, double noiseSigma, long noiseSeed) {
    public static final PhotometricParams IDENTITY = new PhotometricParams(1, 0, 0, 0);

    public PhotometricParams {
        if (!(gamma > 0) || !(blurSigma >= 0) || !(noiseSigma >= 0) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException("gamma " + gamma + " must be > 0, blur sigma " + blurSigma
                    + " and noise sigma " + noiseSigma + " >= 0");
        }
    }
}
