/**
 * Denoising diffusion (Ho et al. 2020): linear and cosine noise schedules with the closed-form
 * forward process ({@link dev.paperlab.models.ddpm.NoiseSchedule}), a small U-Net noise predictor
 * ({@link dev.paperlab.models.ddpm.UNet}), the training task with an EMA of the weights and
 * class-conditional label dropout ({@link dev.paperlab.models.ddpm.DdpmTask}), the ancestral and
 * DDIM samplers ({@link dev.paperlab.models.ddpm.Samplers}) and classifier-free guidance ({@link
 * dev.paperlab.models.ddpm.Guidance}).
 */
package dev.paperlab.models.ddpm;
