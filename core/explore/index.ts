/**
 * The explorer engine behind the side view's Plot and Optimize tabs (issue 5):
 * functions of one variable with their derivatives, the activation gallery,
 * and the gradient-descent playground. Pure TypeScript (no vscode, no DOM,
 * no Node APIs, no eval).
 */
export { functionPlot, pointAt, defaultRange, samplePlot, rootsOn } from './plot';
export type { FunctionPlotOptions, FunctionPlotOk, FunctionPlotFail, FunctionPlotResult, PointInfo, Tangent, KinkNote, PlotFunctions, SampleOptions } from './plot';
export { ACTIVATIONS, activationGallery, belowThreshold, SATURATION_THRESHOLD } from './activations';
export type { Activation, GalleryEntry, Interval } from './activations';
export { OPTIMIZER_NAMES, DEFAULTS, UPDATE_LATEX, LABELS, initState, step, runOptimizers, runOne, settingsLatex } from './optim';
export type { Hyper, OptState, Run, RunOptions, Grad2, F2, OptimizerName } from './optim';
export { contourGrid, contourLevels, contourLines, gradientArrows } from './grid';
export type { Box, Grid } from './grid';
export { PRESETS, LOGISTIC_DATA, presetByKey, objective2d, playground, trajectories, toTrajectory, hyperFrom, chooseBox, chooseStart, suggestLr } from './playground';
export type { Preset, ObjectiveInput, Objective2dOk, Objective2dResult, PlaygroundOptions } from './playground';
export { compileFast, compile1 } from './fast';
export type { Fn1, Fn2 } from './fast';
export type { ExploreError } from './symbolic';
